import { STRIPE_API_VERSION } from '../../../../shared/integrations/stripe/api-version.js';
import { type Fault, TIMEOUT_FAULT_MS } from '../faults.js';
import { json, type SimRequest, type SimResponse, type Simulator, stall } from '../types.js';
import { billingRoutes, createBilling } from './billing.js';
import { checkoutRoutes } from './checkout.js';
import { customerRoutes } from './customers.js';
import { errorResponse, StripeSimError, stripeError } from './errors.js';
import { eventEmitter, eventRoutes } from './events.js';
import { localBody, type Params, parseForm } from './form.js';
import type { StripeSimulator, StripeSimulatorOptions } from './model.js';
import { findRoute, type LocalRoute, type Route, type SimContext } from './routes.js';
import { type IdempotencyRecord, newId, openStore, type StripeStore } from './store.js';
import { createWebhookSender, DEFAULT_WEBHOOK_SECRET } from './webhooks.js';

// Stripe API simulator for the calls the marketplace makes. Mounted on the main server under
// /sim/stripe (so the API is /sim/stripe/v1/…) and served at the root of its own loopback port,
// because the Stripe SDK takes a host and port but no path prefix (api-server.ts).
// Below /v1: Stripe's paths, form-encoded parameters, JSON answers, Stripe's errors, any
// `sk_test_…` key, idempotency keys, faults (operation `METHOD /v1/…`). Outside /v1, without a key:
// the Checkout page (`/checkout/{id}`, `…/complete`, `…/async-succeed|async-fail`) and the local
// helpers (`/local/subscriptions/{id}/pay|fail|cancel`, `/local/checkout/sessions/{id}/expire`,
// `/local/deliveries`).

const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

export function createStripeSimulator(opts: StripeSimulatorOptions): StripeSimulator {
  const store = openStore(opts.persistPath);
  const sender = createWebhookSender(store, {
    url: opts.webhookUrl ?? (() => undefined),
    secret: opts.webhookSecret ?? DEFAULT_WEBHOOK_SECRET,
    ...(opts.webhookRetryDelaysMs && { retryDelaysMs: opts.webhookRetryDelaysMs }),
    ...(opts.webhookTimeoutMs && { timeoutMs: opts.webhookTimeoutMs }),
    ...(opts.log && { log: opts.log }),
  });
  const ctx: SimContext = {
    store,
    publicUrl: opts.publicUrl,
    emit: eventEmitter(store, (event) => sender.deliver(event)),
  };
  const billing = createBilling(ctx);
  const checkout = checkoutRoutes(ctx, billing);
  const subscriptions = billingRoutes(ctx, billing);
  const api: Route[] = [
    ...customerRoutes(store),
    ...checkout.api,
    ...subscriptions.api,
    ...eventRoutes(store),
  ];
  const local: LocalRoute[] = [
    ...checkout.local,
    ...subscriptions.local,
    ['GET', '/local/deliveries', () => json(200, { items: store.state.deliveries })],
  ];

  const handler: Simulator = async (req, signal) => {
    const method = req.method.toUpperCase();
    const path = req.path.length > 1 ? req.path.replace(/\/+$/, '') : req.path;
    if (path === '/v1' || path.startsWith('/v1/')) return callApi(req, method, path, signal);
    try {
      const route = findRoute(local, method, path);
      if (!route)
        return json(404, {
          error: { type: 'invalid_request_error', message: `No route ${method} ${path}.` },
        });
      const body = localBody(req);
      if (!body)
        return json(400, {
          error: { type: 'invalid_request_error', message: 'The body is not a JSON object.' },
        });
      return route.handler(route.params, body, req);
    } catch (err) {
      if (err instanceof StripeSimError) return errorResponse(err);
      throw err;
    }
  };

  async function callApi(
    req: SimRequest,
    method: string,
    path: string,
    signal: AbortSignal,
  ): Promise<SimResponse> {
    const requestId = newId('req', 14);
    const headers = { 'request-id': requestId, 'stripe-version': STRIPE_API_VERSION };
    // Faults come before authentication, so a client sees them whatever it sends.
    const fault = opts.faults.take('stripe', `${method} ${path}`);
    if (fault) return faultResponse(fault, signal, headers);

    const authError = checkKey(req.headers.authorization);
    if (authError) return stripeError(401, 'invalid_request_error', authError, undefined, undefined, headers);
    const route = findRoute(api, method, path);
    if (!route)
      return stripeError(
        404,
        'invalid_request_error',
        `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
        undefined,
        undefined,
        headers,
      );
    const params: Params = {
      ...parseForm(req.query.toString()),
      ...(method === 'GET' ? {} : parseForm(req.body.toString('utf8'))),
    };
    const key = method === 'POST' ? header(req, 'idempotency-key') : undefined;
    try {
      if (key) {
        const replay = idempotentReplay(store, key, `${method} ${path}`, params);
        if (replay)
          return {
            ...replay,
            headers: { ...replay.headers, ...headers, 'original-request': replay.requestId },
          };
      }
      const res = route.handler(route.params, params, { id: requestId, idempotencyKey: key ?? null });
      // Stripe keeps the outcome of a request that ran; one refused as invalid is not kept.
      if (key && res.status >= 200 && res.status < 300) {
        store.state.idempotency[key] = {
          operation: `${method} ${path}`,
          params: canonical(params),
          status: res.status,
          body: String(res.body ?? ''),
          requestId,
          createdAt: store.now(),
        };
        store.save();
      }
      return { ...res, headers: { ...res.headers, ...headers } };
    } catch (err) {
      if (err instanceof StripeSimError) return errorResponse(err, headers);
      throw err;
    }
  }

  const copy = <T>(record: Record<string, T>) => structuredClone(Object.values(record));
  return Object.assign(handler, {
    customers: () => copy(store.state.customers),
    checkoutSessions: () => copy(store.state.sessions),
    subscriptions: () => copy(store.state.subscriptions),
    invoices: () => copy(store.state.invoices),
    events: () => structuredClone(store.state.events),
    deliveries: () => structuredClone(store.state.deliveries),
    resumeDeliveries: () => sender.resumePending(),
    deliveriesSettled: (timeoutMs = 10_000) => sender.settled(timeoutMs),
    close: () => sender.close(),
  });
}

/** The error Stripe answers for a missing or refused key; undefined for a test-mode secret key. */
function checkKey(authorization: string | undefined): string | undefined {
  // Bearer as the SDK sends it, or Basic with the key as user name (`curl -u sk_test_…:`).
  let key: string | undefined;
  if (authorization?.startsWith('Bearer ')) key = authorization.slice(7).trim();
  else if (authorization?.startsWith('Basic '))
    key = Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':')[0];
  if (!key)
    return "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').";
  if (!/^sk_test_\w+$/.test(key)) return `Invalid API Key provided: ${mask(key)}`;
  return undefined;
}

/** As Stripe shows a refused key: its start and last four characters. */
function mask(key: string): string {
  const prefix = /^[a-z]{2,5}_(live|test)_/.exec(key)?.[0] ?? '';
  return `${prefix}${'*'.repeat(Math.max(4, key.length - prefix.length - 4))}${key.slice(-4)}`;
}

/**
 * The stored answer for a key used before with the same request (replayed, as Stripe does), or an
 * idempotency_error for a key reused with another endpoint or other parameters.
 */
function idempotentReplay(
  store: StripeStore,
  key: string,
  operation: string,
  params: Params,
): (SimResponse & { requestId: string }) | undefined {
  const record: IdempotencyRecord | undefined = store.state.idempotency[key];
  if (!record) return undefined;
  if (store.now() - record.createdAt > IDEMPOTENCY_TTL_SECONDS) {
    delete store.state.idempotency[key];
    return undefined;
  }
  if (record.operation !== operation)
    throw new StripeSimError(
      400,
      'idempotency_error',
      `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${record.operation}' vs '${operation}'). Try using a key other than '${key}' if you meant to execute a different request.`,
    );
  if (record.params !== canonical(params))
    throw new StripeSimError(
      400,
      'idempotency_error',
      `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
    );
  return {
    status: record.status,
    headers: { 'content-type': 'application/json', 'idempotent-replayed': 'true' },
    body: record.body,
    requestId: record.requestId,
  };
}

/** Parameters as JSON with sorted keys: the same request, however its fields were ordered. */
function canonical(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(sort(value));
}

function header(req: SimRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

async function faultResponse(
  fault: Fault,
  signal: AbortSignal,
  headers: Record<string, string>,
): Promise<SimResponse> {
  switch (fault.mode) {
    case 'error':
      return stripeError(
        400,
        'invalid_request_error',
        'Simulated error (fault injection).',
        undefined,
        undefined,
        headers,
      );
    case 'http_500':
      return stripeError(
        500,
        'api_error',
        'Simulated server error (fault injection).',
        undefined,
        undefined,
        headers,
      );
    case 'http_404':
      return stripeError(
        404,
        'invalid_request_error',
        'No such object (fault injection).',
        'resource_missing',
        undefined,
        headers,
      );
    case 'http_429':
      return stripeError(
        429,
        'invalid_request_error',
        'Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.',
        'rate_limit',
        undefined,
        headers,
      );
    case 'timeout':
      await stall(TIMEOUT_FAULT_MS, signal);
      return stripeError(
        504,
        'api_error',
        'Simulated timeout (fault injection).',
        undefined,
        undefined,
        headers,
      );
  }
}
