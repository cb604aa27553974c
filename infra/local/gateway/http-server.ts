import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { routeList } from '../../../functions/routes.js';
import { type FaultRegistry, faultSchema } from '../simulators/faults.js';
import type { LocalMailbox } from '../simulators/mail.js';
import type { SatelliteFleet } from '../simulators/satellite.js';
import type { SimResponse, Simulator } from '../simulators/types.js';
import { matchPath, toApiGatewayEvent } from './api-gateway-event.js';
import { type LocalAuth, tokenRequest } from './local-auth.js';
import { readBody, toSimRequest } from './request-body.js';

// The local API Gateway: routes /v1 requests through the route table to the real handlers (with
// the JWT check API Gateway would do), and serves /local/token and the simulators under /sim.

export interface HttpServerDeps {
  auth: LocalAuth;
  faults: FaultRegistry;
  inwx: Simulator;
  coolify: Simulator;
  /** Stripe API (`/sim/stripe/v1/…`), its Checkout pages and local helpers, under /sim/stripe. */
  stripe: Simulator;
  mailbox: LocalMailbox;
  satellites: SatelliteFleet;
  /** False until an order can succeed (environment set, catalog and servers seeded): /v1/health → 503. */
  isReady: () => boolean;
  /** Runs a scheduled job now (POST /local/jobs/<name>); undefined for an unknown job. */
  runJob: (name: string, input: { now?: string }) => Promise<unknown> | undefined;
  /** Invokes a function by entry (`api/get-project`) in its own instance (engines/lambda). */
  invoke: (entry: string, event: unknown) => Promise<unknown>;
}

export function createHttpServer(deps: HttpServerDeps): Server {
  return createServer((req, res) => {
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    handle(deps, req, res, controller.signal).catch((err: unknown) => {
      console.error('[local] request failed', err);
      if (!res.headersSent)
        send(res, problem(500, 'Internal error', 'The local server failed; see its log.'));
      else res.end();
    });
  });
}

async function handle(
  deps: HttpServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  signal: AbortSignal,
): Promise<void> {
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
  const body = await readBody(req);
  if (body === null)
    return send(res, problem(413, 'Payload too large', 'Request bodies are limited to 1 MiB.'));
  const path = url.pathname;

  if (path.startsWith('/v1/')) {
    if (!deps.isReady()) {
      const starting = problem(503, 'Starting', 'The local stack is still starting; try again in a moment.');
      return send(res, { ...starting, headers: { ...starting.headers, 'retry-after': '1' } });
    }
    return send(res, await callApi(deps, req, url, body));
  }
  const job = /^\/local\/jobs\/([a-z-]+)$/.exec(path);
  if (job && req.method === 'POST') return send(res, await runJob(deps, job[1]!, body));
  if (path === '/local/token' && req.method === 'POST') return send(res, await issueToken(deps, body));
  if (path.startsWith('/sim/coolify/api/v1')) {
    return send(res, await deps.coolify(toSimRequest(req, url, body, '/sim/coolify/api/v1'), signal));
  }
  if (path === '/sim/stripe' || path.startsWith('/sim/stripe/'))
    return send(res, await deps.stripe(toSimRequest(req, url, body, '/sim/stripe'), signal));
  if (path.replace(/\/$/, '') === '/sim/inwx/xmlrpc')
    return send(res, await deps.inwx(toSimRequest(req, url, body, path), signal));
  if (path === '/sim/mail/messages' && req.method === 'GET') {
    const items = deps.mailbox
      .list()
      .map((m) => ({ to: m.to.join(', '), subject: m.subject, text: m.text ?? '', sentAt: m.sentAt }));
    return send(res, json(200, { items, nextCursor: null }));
  }
  if (path === '/sim/faults') return send(res, faults(deps.faults, req.method ?? 'GET', body));
  const health = /^\/sim\/satellites\/([^/]+)\/health$/.exec(path);
  if (health) {
    const h = deps.satellites.health(decodeURIComponent(health[1]!));
    return send(res, json(h.status, h.body));
  }
  if (path === '/sim/satellites') return send(res, json(200, { items: deps.satellites.list() }));
  const site = /^\/sim\/satellites\/([^/]+)\/site(\/.*)?$/.exec(path);
  if (site && req.method === 'GET') {
    try {
      return send(res, await deps.satellites.page(decodeURIComponent(site[1]!), url.searchParams));
    } catch (err) {
      return send(res, problem(502, 'Bad gateway', `The satellite failed: ${(err as Error).message}`));
    }
  }
  return send(res, problem(404, 'Not found', `No route for ${req.method} ${path}.`));
}

async function callApi(
  deps: HttpServerDeps,
  req: IncomingMessage,
  url: URL,
  body: Buffer,
): Promise<SimResponse> {
  let pathMatched = false;
  for (const [, route] of routeList) {
    const params = matchPath(route.path, url.pathname);
    if (!params) continue;
    pathMatched = true;
    if (route.method !== req.method) continue;
    let claims: Record<string, unknown> | undefined;
    if (route.auth === 'jwt') {
      claims = (await deps.auth.verify(req.headers.authorization)) ?? undefined;
      // API Gateway's JWT authorizer rejects before the function runs.
      if (!claims)
        return {
          ...problem(401, 'Missing or invalid credentials', 'A valid bearer token is required.'),
          headers: { 'content-type': 'application/problem+json', 'www-authenticate': 'Bearer' },
        };
    }
    const event = toApiGatewayEvent({
      req,
      url,
      body,
      routeKey: `${route.method} ${route.path}`,
      pathParameters: params,
      ...(claims ? { claims } : {}),
    });
    let result: APIGatewayProxyStructuredResultV2;
    try {
      result = (await deps.invoke(`api/${route.handler}`, event)) as APIGatewayProxyStructuredResultV2;
    } catch (err) {
      // API Gateway answers for a function that ran out of time; other failures are a 500 below.
      if ((err as Error).name === 'Sandbox.Timedout')
        return problem(
          504,
          'Gateway timeout',
          `The function did not answer in time: ${(err as Error).message}.`,
        );
      throw err;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = String(v);
    // As API Gateway: a base64-encoded result (a gzipped file) goes out as its bytes.
    const out = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? '');
    return { status: result.statusCode ?? 200, headers, body: out };
  }
  return pathMatched
    ? problem(405, 'Method not allowed', `${req.method} is not supported on ${url.pathname}.`)
    : problem(404, 'Not found', `No route for ${req.method} ${url.pathname}.`);
}

async function issueToken(deps: HttpServerDeps, body: Buffer): Promise<SimResponse> {
  let input: unknown;
  try {
    input = JSON.parse(body.toString('utf8'));
  } catch {
    return problem(400, 'Invalid request', 'The body is not valid JSON.');
  }
  const parsed = tokenRequest.safeParse(input);
  if (!parsed.success) {
    return problem(
      400,
      'Invalid request',
      'Give { "email", "role", "emailVerified"? } with role admin, staff, customer or reseller.',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  const { email, role, emailVerified } = parsed.data;
  return json(200, { token: await deps.auth.issue(email, role, emailVerified) });
}

const jobRequest = z.strictObject({ now: z.iso.datetime().optional() });

async function runJob(deps: HttpServerDeps, name: string, body: Buffer): Promise<SimResponse> {
  let input: unknown = {};
  try {
    if (body.length) input = JSON.parse(body.toString('utf8'));
  } catch {
    return problem(400, 'Invalid request', 'The body is not valid JSON.');
  }
  const parsed = jobRequest.safeParse(input);
  if (!parsed.success)
    return problem(400, 'Invalid request', 'Give { "now"?: ISO time }.', [
      { path: 'now', message: 'must be an ISO time' },
    ]);
  const running = deps.runJob(name, parsed.data.now ? { now: parsed.data.now } : {});
  if (!running) return problem(404, 'Not found', `There is no job "${name}".`);
  return json(200, { job: name, result: await running });
}

function faults(registry: FaultRegistry, method: string, body: Buffer): SimResponse {
  if (method === 'GET') return json(200, { items: registry.list() });
  if (method === 'DELETE') {
    registry.clear();
    return { status: 204 };
  }
  if (method !== 'POST') return problem(405, 'Method not allowed', 'Use GET, POST or DELETE.');
  let input: unknown;
  try {
    input = JSON.parse(body.toString('utf8'));
  } catch {
    return problem(400, 'Invalid request', 'The body is not valid JSON.');
  }
  const parsed = faultSchema.safeParse(input);
  if (!parsed.success)
    return problem(
      400,
      'Invalid request',
      'Not a fault description.',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  registry.add(parsed.data);
  return json(201, parsed.data);
}

function json(status: number, value: unknown): SimResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

function problem(
  status: number,
  title: string,
  detail: string,
  errors: { path: string; message: string }[] = [],
): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({ type: 'about:blank', title, status, detail, errors }),
  };
}

function send(res: ServerResponse, r: SimResponse): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(r.status, r.headers ?? {});
  res.end(r.body ?? '');
}
