import { describe, expect, it } from 'vitest';
import { callTimeoutMs, remainingMs, withDeadline } from '../../../shared/platform/deadline.js';

// Every external call fits into the time the invocation has left (getRemainingTimeInMillis).

describe('callTimeoutMs', () => {
  it('keeps a call’s own limit when the invocation has time enough', async () => {
    await withDeadline(60_000, async () => {
      expect(callTimeoutMs(10_000)).toBe(10_000);
    });
  });

  it('cuts the limit to what is left, keeping time back for the writes after the call', async () => {
    await withDeadline(5_000, async () => {
      const t = callTimeoutMs(10_000);
      expect(t).toBeLessThanOrEqual(3_500);
      expect(t).toBeGreaterThan(3_000);
    });
  });

  it('refuses to start a call that cannot fit, as a transient error the state machine retries', async () => {
    await withDeadline(1_000, async () => {
      expect(() => callTimeoutMs(10_000)).toThrow(expect.objectContaining({ name: 'Transient' }));
    });
  });

  it('has no deadline outside an invocation (scripts, tests)', () => {
    expect(remainingMs()).toBe(Number.POSITIVE_INFINITY);
    expect(callTimeoutMs(10_000)).toBe(10_000);
  });

  it('keeps each invocation’s own deadline when invocations interleave', async () => {
    const seen = await Promise.all([
      withDeadline(60_000, async () => {
        await new Promise((r) => setTimeout(r, 20));
        return callTimeoutMs(30_000);
      }),
      withDeadline(4_000, async () => {
        await new Promise((r) => setTimeout(r, 10));
        return callTimeoutMs(30_000);
      }),
    ]);
    expect(seen[0]).toBe(30_000);
    expect(seen[1]).toBeLessThan(2_600);
  });
});
