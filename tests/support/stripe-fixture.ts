import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../../infra/local/gateway/request-body.js';
import { FaultRegistry } from '../../infra/local/simulators/faults.js';
import {
  createStripeSimulator,
  type StripeApiServer,
  type StripeSimulator,
  serveStripeApi,
} from '../../infra/local/simulators/stripe.js';
import { StripeClient, type StripeClientOptions } from '../../shared/integrations/stripe/stripe-client.js';

// The Stripe simulator on its own loopback port (as the SDK reaches it), a webhook endpoint that
// records what it receives, and our client pointed at both — for the Stripe client and simulator tests.

export const WEBHOOK_SECRET = 'whsec_unit_test';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface WebhookEndpoint {
  url: string;
  received: ReceivedWebhook[];
  /** The status to answer the n-th request (1-based) with; default 200. */
  answer: (n: number) => number | Promise<number>;
  close(): Promise<void>;
}

export async function webhookEndpoint(): Promise<WebhookEndpoint> {
  const endpoint = {
    url: '',
    received: [] as ReceivedWebhook[],
    answer: (_n: number): number | Promise<number> => 200,
    close: async () => {},
  };
  const server = createServer(async (req, res) => {
    const body = (await readBody(req)) ?? Buffer.alloc(0);
    endpoint.received.push({ headers: req.headers, body: body.toString('utf8') });
    res.writeHead(await endpoint.answer(endpoint.received.length));
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/webhooks/stripe`;
  endpoint.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return endpoint;
}

export interface StripeFixture {
  faults: FaultRegistry;
  sim: StripeSimulator;
  api: StripeApiServer;
  webhooks: WebhookEndpoint;
  client(opts?: Partial<StripeClientOptions>): StripeClient;
  /** POSTs to a simulator path outside /v1 (Checkout page, local helpers) with a JSON body. */
  post(path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startStripeFixture(
  opts: { persistPath?: string; retryDelaysMs?: number[] } = {},
): Promise<StripeFixture> {
  const faults = new FaultRegistry();
  const webhooks = await webhookEndpoint();
  let apiUrl = '';
  const sim = createStripeSimulator({
    faults,
    publicUrl: () => apiUrl,
    webhookUrl: () => webhooks.url,
    webhookSecret: WEBHOOK_SECRET,
    webhookRetryDelaysMs: opts.retryDelaysMs ?? [10, 20],
    webhookTimeoutMs: 2_000,
    ...(opts.persistPath && { persistPath: opts.persistPath }),
  });
  const api = await serveStripeApi(sim);
  apiUrl = api.url;
  return {
    faults,
    sim,
    api,
    webhooks,
    client: (o = {}) =>
      new StripeClient({
        secretKey: 'sk_test_unit',
        webhookSecret: WEBHOOK_SECRET,
        apiBaseUrl: api.url,
        maxNetworkRetries: 0,
        timeoutMs: 2_000,
        ...o,
      }),
    post: async (path, body) => {
      const res = await fetch(`${api.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {}),
      });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    },
    close: async () => {
      sim.close();
      await api.close();
      await webhooks.close();
    },
  };
}
