import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import Stripe from 'stripe';
import { apiRequest } from '../unit/handlers/api-request.js';

// The Stripe webhook function on its own, in a child process of the bench (stripe-webhook.ts): its
// environment is the function's (TABLE_NAME, the Stripe secret, the local endpoints — DynamoDB
// behind the bench's counting proxy), so the CPU time it reports per event is the handler's alone.
// Protocol: one JSON line in `{ payload }`, one JSON line out `{ status, cpuMs, wallMs }`.

const { handler } = await import('../../functions/api/stripe-webhook.js');
const secret = process.env.BENCH_WEBHOOK_SECRET ?? 'whsec_local_test';

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const { payload } = JSON.parse(line) as { payload: string };
  const event = apiRequest({
    route: 'POST /v1/webhooks/stripe',
    body: payload,
    claims: null,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret }),
    },
  });
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const res = await handler(event);
  const wallMs = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  process.stdout.write(
    `${JSON.stringify({ status: res.statusCode ?? 0, cpuMs: (used.user + used.system) / 1000, wallMs })}\n`,
  );
}
