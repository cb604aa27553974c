import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { environmentFor } from '../../infra/function-environment.js';
import { apiFunctionNeeds } from '../../infra/function-needs.js';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.js';
import { DEFAULT_BILLING_POLICY } from '../../shared/billing/billing-rules.js';
import { orderBody } from '../integration/support/api.js';

// The Stripe webhook handler's cost per event (issue: Commerce): DynamoDB calls, counted on a proxy
// in front of the local DynamoDB endpoint that only the handler uses, and CPU time, measured in a
// child process that runs nothing but the handler (webhook-worker.ts). Two kinds of event: a
// checkout.session.completed that fulfils an order (payment recorded, provisioning started, the
// owner's mails), and the same event replayed once the order is fulfilled.

export interface WebhookEventFigure {
  kind: 'fulfil' | 'replay';
  run: number;
  status: number;
  dynamoCalls: number;
  /** Calls by DynamoDB operation (GetItem, TransactWriteItems, …). */
  byOperation: Record<string, number>;
  writes: number;
  cpuMs: number;
  wallMs: number;
}

export interface WebhookBenchResult {
  events: WebhookEventFigure[];
}

const WRITE_OPERATIONS = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'TransactWriteItems',
  'BatchWriteItem',
]);

/** Forwards every request to DynamoDB Local and counts them by operation (X-Amz-Target). */
export async function countingProxy(target: string) {
  const counts = new Map<string, number>();
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const op =
      String(req.headers['x-amz-target'] ?? 'unknown')
        .split('.')
        .pop() ?? 'unknown';
    counts.set(op, (counts.get(op) ?? 0) + 1);
    const out = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    snapshot: () => new Map(counts),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The webhook function in its own process, with its environment as the local runtime gives it. */
function startWorker(stack: LocalStack, dynamoEndpoint: string) {
  const env = {
    PATH: process.env.PATH ?? '',
    LOG_LEVEL: 'SILENT',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...environmentFor(apiFunctionNeeds['stripe-webhook'], {
      tableName: stack.tableName,
      cursorSecretArn: 'vrs/local/cursor',
      previewCodeSecretArn: 'vrs/local/preview-code',
      licenseKeySecretArn: 'vrs/local/license-keys',
      pluginBucket: 'unused',
      stateMachineArn: (flow) => stack.stateMachineArns[flow],
      externalSecretArn: (service) => `vrs/local/${service}`,
      marketplaceUrl: stack.url,
      healthCheckUrlTemplate: `${stack.url}/sim/satellites/{domain}/health`,
      mailFrom: 'VRS Marketplace <no-reply@vrs.gmbh>',
      staffEmail: 'staff@vrs.gmbh',
      reconcileGraceSeconds: '20',
      authCodeKeyId: 'unused',
      inwxContactHandles: '',
      webAppUrl: stack.url,
      billingPolicy: DEFAULT_BILLING_POLICY,
    }),
    AWS_REGION: 'eu-central-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
    AWS_ENDPOINT_URL_SFN: stack.awsEndpoint,
    AWS_ENDPOINT_URL_SESV2: stack.awsEndpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: stack.awsEndpoint,
    POWERTOOLS_METRICS_DISABLED: 'true',
    EXTERNAL_TIMEOUT_MS: '3000',
  };
  const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
  const child: ChildProcessWithoutNullStreams = spawn(
    tsx,
    [fileURLToPath(new URL('./webhook-worker.ts', import.meta.url))],
    { env, stdio: 'pipe' },
  );
  const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return {
    async handle(payload: string): Promise<{ status: number; cpuMs: number; wallMs: number }> {
      child.stdin.write(`${JSON.stringify({ payload })}\n`);
      const next = await answers.next();
      if (next.done) throw new Error(`webhook worker ended: ${stderr.slice(-2000)}`);
      return JSON.parse(next.value) as { status: number; cpuMs: number; wallMs: number };
    },
    stop: () => {
      child.stdin.end();
      child.kill();
    },
  };
}

const diff = (after: Map<string, number>, before: Map<string, number>) => {
  const out: Record<string, number> = {};
  for (const [op, n] of after) if (n - (before.get(op) ?? 0) > 0) out[op] = n - (before.get(op) ?? 0);
  return out;
};

export async function runWebhookBench(runs: number): Promise<WebhookBenchResult> {
  const stack = await startLocalStack({
    port: 0,
    waitMs: 0,
    retryIntervalMs: 0,
    deployDurationMs: 0,
    jobIntervalMs: 0,
  });
  // The simulator records events but delivers none: each event reaches only the measured handler.
  stack.stripe.close();
  const proxy = await countingProxy(stack.dynamoEndpoint);
  const worker = startWorker(stack, proxy.url);
  const events: WebhookEventFigure[] = [];
  try {
    const token = await stack.token('bench-kunde@example.com', 'customer');
    const tag = Date.now().toString(36);
    // Warm the worker (module init, secret, SDK clients) with an event it ignores.
    await worker.handle(
      JSON.stringify({
        id: `evt_warm_${tag}`,
        object: 'event',
        type: 'charge.dispute.created',
        data: { object: {} },
      }),
    );
    for (let run = 1; run <= runs; run++) {
      const res = await fetch(`${stack.url}/v1/projects`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(
          orderBody(`bench-karte-${tag}-${run}`, { ownerEmail: undefined, paymentMethod: 'stripe_prepaid' }),
        ),
      });
      const order = (await res.json()) as { project?: { id: string }; checkoutUrl?: string };
      if (!order.project || !order.checkoutUrl) throw new Error(`order failed: ${JSON.stringify(order)}`);
      const paid = await fetch(`${order.checkoutUrl}/complete`, { method: 'POST' });
      if (paid.status >= 300) throw new Error(`checkout failed: ${paid.status}`);
      const event = stack.stripe
        .events()
        .find(
          (e) =>
            e.type === 'checkout.session.completed' &&
            (e.data.object as { client_reference_id?: string }).client_reference_id === order.project!.id,
        );
      if (!event) throw new Error('no checkout.session.completed event');
      const payload = JSON.stringify(event, null, 2);
      for (const kind of ['fulfil', 'replay'] as const) {
        // A replay once the order is live (provisioning runs in this process, not in the worker).
        if (kind === 'replay') await waitActive(stack, token, order.project.id);
        const before = proxy.snapshot();
        const out = await worker.handle(payload);
        const byOperation = diff(proxy.snapshot(), before);
        const calls = Object.values(byOperation);
        events.push({
          kind,
          run,
          status: out.status,
          dynamoCalls: calls.reduce((a, b) => a + b, 0),
          byOperation,
          writes: Object.entries(byOperation)
            .filter(([op]) => WRITE_OPERATIONS.has(op))
            .reduce((a, [, n]) => a + n, 0),
          cpuMs: out.cpuMs,
          wallMs: out.wallMs,
        });
      }
    }
  } finally {
    worker.stop();
    await proxy.close();
    await stack.stop();
  }
  return { events };
}

async function waitActive(stack: LocalStack, token: string, id: string): Promise<void> {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    const res = await fetch(`${stack.url}/v1/projects/${id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { status } = (await res.json()) as { status?: string };
    if (status === 'active') return;
    if (status === 'error') throw new Error(`project ${id} failed`);
    await sleep(20);
  }
  throw new Error(`project ${id} did not become active`);
}
