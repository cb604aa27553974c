import { describe, expect, it } from 'vitest';
import { callerKey, windowOf } from '../../../../shared/platform/rate-limit/caller-limit.js';

describe('per-caller limits', () => {
  it('count a caller in fixed windows and say when the next one starts', () => {
    const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 10, 0, s));
    expect(windowOf(at(0), 60)).toEqual({
      start: Date.UTC(2026, 11, 1, 10, 0, 0) / 1000,
      retryAfterSeconds: 60,
    });
    expect(windowOf(at(59), 60)).toEqual({
      start: Date.UTC(2026, 11, 1, 10, 0, 0) / 1000,
      retryAfterSeconds: 1,
    });
    expect(windowOf(at(60), 60).start).toBe(Date.UTC(2026, 11, 1, 10, 1, 0) / 1000);
  });

  it('tell people, satellites and anonymous addresses apart', () => {
    expect(callerKey({ kind: 'person', sub: 'abc' })).toBe('person:abc');
    expect(callerKey({ kind: 'project', projectId: 'p1' })).toBe('project:p1');
    expect(callerKey({ kind: 'address', ip: '203.0.113.7' })).toBe('ip:203.0.113.7');
  });
});
