import {
  type LocalStack,
  type LocalStackOptions,
  startLocalStack,
} from '../../../infra/local/local-stack.js';
import { sharedEngines } from '../../support/shared-engines.js';

// A local stack for one test file, and a small client that talks to it like the web UI would.

/**
 * `opts` override the test timing, e.g. `jobIntervalMs: 0` when only the test may run jobs. The
 * stack's table is its own, on the run's DynamoDB Local (tests/support/shared-engines.ts).
 */
export async function startTestStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  process.env.LOG_LEVEL = 'SILENT';
  const stack = await startLocalStack({
    port: 0,
    waitMs: 20,
    retryIntervalMs: 20,
    deployDurationMs: 20,
    ...sharedEngines(),
    ...opts,
  });
  await waitForHealth(stack.url);
  return stack;
}

/** What a client does before its first order: wait until /v1/health answers 200. */
export async function waitForHealth(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(`${url}/v1/health`)
      .then((r) => r.status)
      .catch(() => 0);
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${url}/v1/health did not answer 200 in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export function api(stack: LocalStack) {
  async function call<T = Record<string, unknown>>(
    method: string,
    path: string,
    opts: { token?: string; apiKey?: string; body?: unknown; rawBody?: string } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.apiKey) headers['x-api-key'] = opts.apiKey;
    let body: string | undefined;
    if (opts.rawBody !== undefined) body = opts.rawBody;
    else if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as T };
  }
  return { call };
}

export function orderBody(subdomain: string, extra: Record<string, unknown> = {}) {
  return {
    name: 'Steuerberater Müller',
    projectType: 'business_directory',
    bundle: 'verzeichnis-basic',
    plugins: ['kontakt'],
    domain: { type: 'subdomain', subdomain, baseDomain: 'vrs.gmbh' },
    paymentMethod: 'invoice',
    billingEmail: 'billing@example.com',
    ownerEmail: 'owner@example.com',
    ...extra,
  };
}

/** Polls GET /v1/projects/{id} until the status is one of `statuses`. */
export async function waitForStatus(
  stack: LocalStack,
  token: string,
  id: string,
  statuses: string[],
  timeoutMs = 30_000,
): Promise<Record<string, unknown>> {
  const { call } = api(stack);
  const deadline = Date.now() + timeoutMs;
  let last: Record<string, unknown> = {};
  while (Date.now() < deadline) {
    const res = await call('GET', `/v1/projects/${id}`, { token });
    last = res.body;
    if (statuses.includes(String(last.status))) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `project ${id} did not reach ${statuses.join('/')} in ${timeoutMs} ms; last: ${JSON.stringify(last)}`,
  );
}
