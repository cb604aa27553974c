import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { startTestStack } from './support/api.js';

// Per-caller limits (RouteDef.callerLimit): one noisy client is held back with a 429 problem+json
// and a Retry-After, while the others go on.

let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack({ jobIntervalMs: 0 });
});
afterAll(async () => {
  await stack?.stop();
});

describe('domain availability', () => {
  it('answers one address 120 times a minute, then 429 with Retry-After, as problem+json', {
    timeout: 120_000,
  }, async () => {
    const check = () => fetch(`${stack.url}/v1/domains/availability?domain=ratenlimit.vrs.gmbh`);
    // The window is the clock's minute: start early in one, so all calls fall into it.
    const second = new Date().getUTCSeconds();
    if (second > 40) await new Promise((r) => setTimeout(r, (61 - second) * 1000));
    const statuses: number[] = [];
    // In batches, as a script hammering the endpoint would.
    for (let i = 0; i < 6; i++)
      statuses.push(...(await Promise.all(Array.from({ length: 20 }, check))).map((r) => r.status));
    expect(statuses.filter((s) => s === 200)).toHaveLength(120);
    const limited = await check();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toBe('application/problem+json');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(await limited.json()).toMatchObject({ status: 429, title: 'Too many requests' });
  });
});
