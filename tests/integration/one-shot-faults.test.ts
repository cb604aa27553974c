import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { api, orderBody, startTestStack, waitForStatus } from './support/api.js';

// Under load, with each function in its own instances: 30 orders at once while one-shot faults
// hit random INWX and Coolify operations. Transient failures are absorbed by the retries (in the
// tasks and in the state machines): at most 10% end in `error` for staff, and nothing is created
// twice — one DNS record pair and one Coolify app per project.

let stack: LocalStack;
let call: ReturnType<typeof api>['call'];

beforeAll(async () => {
  stack = await startTestStack();
  call = api(stack).call;
});
afterAll(async () => {
  await stack?.stop();
});

/** A small seeded PRNG (mulberry32): the same faults every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

it('30 orders with one-shot INWX and Coolify faults: ≤ 10% in error, nothing duplicated', async () => {
  const staff = await stack.token('staff@vrs.gmbh', 'staff');
  const order = async (subdomain: string) => {
    const res = await call<{ project: { id: string } }>('POST', '/v1/projects', {
      token: staff,
      body: orderBody(subdomain),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.project.id;
  };
  // One order without faults shows which Coolify operations a provisioning calls.
  const first = await order('ohne-fehler');
  expect((await waitForStatus(stack, staff, first, ['active', 'error'])).status).toBe('active');
  const coolifyOps = Object.keys(stack.coolify.usage().calls);
  const inwxOps = ['nameserver.info', 'nameserver.createRecord'];
  // Transient faults only: a Coolify 400 ('error') is a permanent refusal, failing at once by design.
  const modes = ['http_500', 'http_429', 'timeout'] as const;

  const next = random(30);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  for (let i = 0; i < 30; i++) {
    const inwx = next() < 0.4;
    const res = await call('POST', '/sim/faults', {
      body: {
        service: inwx ? 'inwx' : 'coolify',
        operation: inwx ? pick(inwxOps) : pick(coolifyOps),
        mode: pick(modes),
        times: 1,
      },
    });
    expect(res.status).toBe(201);
  }

  const subdomains = Array.from({ length: 30 }, (_, i) => `last-${i}`);
  const ids = await Promise.all(subdomains.map(order));
  const final = await Promise.all(
    ids.map((id) => waitForStatus(stack, staff, id, ['active', 'error'], 180_000)),
  );
  const errors = final.filter((p) => p.status === 'error');
  expect(errors.length, errors.map((p) => String(p.provisioningError)).join('\n')).toBeLessThanOrEqual(3);

  const records = stack.inwx.records('vrs.gmbh');
  const apps = stack.coolify.applications();
  ids.forEach((id, i) => {
    const host = `${subdomains[i]}.vrs.gmbh`;
    const mine = records.filter((r) => r.name === host || r.name.endsWith(`.${host}`));
    const app = apps.filter((a) => a.name === `vrs-${id}`);
    if (final[i]!.status === 'active') {
      expect(mine, host).toHaveLength(2);
      expect(app, host).toHaveLength(1);
    } else {
      expect(mine.length, host).toBeLessThanOrEqual(2);
      expect(app.length, host).toBeLessThanOrEqual(1);
    }
  });
}, 240_000);
