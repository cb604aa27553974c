import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxTimedout } from '../../infra/local/engines/lambda/function-instance.js';
import type { LocalFunction } from '../../infra/local/engines/lambda/local-functions.js';
import { createHttpServer, type HttpServerDeps } from '../../infra/local/gateway/http-server.js';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.js';
import { sharedEngines } from '../support/shared-engines.js';
import { waitForHealth } from './support/api.js';

// The local runtime runs each function as Lambda does: its own instances (module state, one
// invocation at a time, reused when warm), only the environment its manifest entry gives it, and
// its timeout — past which the invocation ends as Sandbox.Timedout.

let stack: LocalStack;
const logs: string[] = [];

beforeAll(async () => {
  process.env.LOG_LEVEL = 'SILENT';
  stack = await startLocalStack({
    port: 0,
    jobIntervalMs: 0,
    functionTimeoutSeconds: { task: 1 },
    ...sharedEngines(),
    log: (m) => logs.push(m),
  });
  await waitForHealth(stack.url);
});
afterAll(async () => {
  await stack?.stop();
});

type Report = {
  invocations: number;
  env: Record<string, string>;
  functionName: string;
  awsRequestId: string;
  remainingMs: number;
};

let n = 0;
/** The sleepy stand-in as a task function; each call of this is another function (own instances). */
const sleepy = (needs: LocalFunction['needs'] = {}): LocalFunction => ({
  entry: '../tests/integration/support/sleepy-function',
  kind: 'task',
  needs,
  name: `sleepy-${++n}`,
});
const invoke = (fn: LocalFunction, sleepMs = 0) => stack.invoke(fn, { sleepMs }) as Promise<Report>;

describe('environment', () => {
  it('is only what the manifest gives the function, plus the local endpoints', async () => {
    const { env } = await invoke(sleepy());
    expect(env.TABLE_NAME).toBeUndefined();
    expect(env.PATH).toBeUndefined();
    expect(env.AWS_ENDPOINT_URL_DYNAMODB).toBe(stack.dynamoEndpoint);
    const withTable = await invoke(sleepy({ table: 'read', callsExternal: ['inwx'] }));
    expect(withTable.env.TABLE_NAME).toBe(stack.tableName);
    expect(withTable.env.INWX_SECRET_ARN).toBe('vrs/local/inwx');
    expect(withTable.env.COOLIFY_SECRET_ARN).toBeUndefined();
  });

  it('with callsExternal stripe, reaches the Stripe simulator through its secret (the SDK on its own port)', async () => {
    const stripeCaller: LocalFunction = {
      entry: '../tests/integration/support/stripe-function',
      kind: 'api',
      needs: { callsExternal: ['stripe'] },
      name: 'stripe-caller',
    };
    const projectId = randomUUID();
    const out = (await stack.invoke(stripeCaller, { projectId })) as {
      customerId: string;
      url: string;
      secretArn: string;
    };
    expect(out.secretArn).toBe('vrs/local/stripe');
    expect(stack.stripe.customers().find((c) => c.id === out.customerId)?.metadata.projectId).toBe(projectId);
    expect(out.url).toMatch(new RegExp(`^${stack.url}/sim/stripe/checkout/cs_test_`));
    // Paying it sends the signed events to the API's webhook route, which verifies them and
    // acknowledges a session of a project it does not know (200, nothing done).
    expect((await fetch(`${out.url}/complete`, { method: 'POST' })).status).toBe(200);
    await expect
      .poll(
        () =>
          stack.stripe
            .deliveries()
            .find((d) => d.type === 'checkout.session.completed')
            ?.attempts.some((a) => a.status === 200),
        // The first delivery may meet the webhook function's cold start; Stripe retries.
        { timeout: 20_000 },
      )
      .toBe(true);
  });

  it('lacking a variable the function reads fails locally as on AWS', async () => {
    const reserveServer: LocalFunction = { entry: 'tasks/reserve-server', kind: 'task', needs: {} };
    await expect(
      stack.invoke(reserveServer, { projectId: randomUUID(), executionArn: 'arn:aws:states:x' }),
    ).rejects.toThrow(/TABLE_NAME/);
  });

  it('as the manifest gives it, the same function gets past its configuration', async () => {
    // An unknown project: it fails further on, having read the table.
    const failure = await stack
      .invoke('tasks/reserve-server', { projectId: randomUUID(), executionArn: 'arn:aws:states:x' })
      .then(
        () => undefined,
        (err: Error) => err,
      );
    expect(failure?.message ?? '').not.toMatch(/configuration/);
  });
});

describe('instances', () => {
  it('a warm instance serves the next invocation; concurrent ones get their own', async () => {
    const fn = sleepy();
    const cold = logs.length;
    expect((await invoke(fn)).invocations).toBe(1);
    expect((await invoke(fn)).invocations).toBe(2);
    const concurrent = await Promise.all([invoke(fn, 200), invoke(fn, 200)]);
    expect(concurrent.map((r) => r.invocations).sort()).toEqual([1, 3]);
    expect(logs.slice(cold).filter((m) => m.startsWith('cold start')).length).toBe(2);
  });

  it('hands the handler a Lambda context with the function timeout', async () => {
    const fn = sleepy();
    const r = await invoke(fn);
    expect(r.functionName).toBe(fn.name);
    expect(r.env.AWS_LAMBDA_FUNCTION_NAME).toBe(fn.name);
    expect(r.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.remainingMs).toBeGreaterThan(500);
    expect(r.remainingMs).toBeLessThanOrEqual(1000);
  });
});

describe('timeout', () => {
  it('ends an invocation that runs past it as Sandbox.Timedout, and the instance with it', async () => {
    const fn = sleepy();
    expect((await invoke(fn)).invocations).toBe(1);
    const started = Date.now();
    await expect(invoke(fn, 5_000)).rejects.toMatchObject({ name: 'Sandbox.Timedout' });
    expect(Date.now() - started).toBeLessThan(3_000);
    // The next invocation runs in a fresh instance: module state starts over.
    expect((await invoke(fn)).invocations).toBe(1);
  });
});

describe('an API function that times out', () => {
  it('answers 504 problem+json from the gateway, as API Gateway does for its integration', async () => {
    const server = createHttpServer({
      isReady: () => true,
      runJob: () => undefined,
      invoke: () => Promise.reject(new SandboxTimedout(10)),
    } as unknown as HttpServerDeps);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/health`);
      expect(res.status).toBe(504);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(((await res.json()) as { detail: string }).detail).toMatch(/timed out after 10/);
    } finally {
      server.close();
    }
  });
});
