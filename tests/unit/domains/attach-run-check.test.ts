import { describe, expect, it } from 'vitest';
import { attachRunCheck, isSettled } from '../../../shared/domains/attach-run-check.js';

// The reconcile job's rule for a pending custom domain of a live project, by its attach execution.

describe('attachRunCheck', () => {
  it('starts an execution only when there is none (a lost start)', () => {
    expect(attachRunCheck(null)).toBe('start');
  });

  it('leaves a running one alone, and one a redrive is about to resume', () => {
    expect(attachRunCheck('RUNNING')).toBe('running');
    expect(attachRunCheck('PENDING_REDRIVE')).toBe('running');
  });

  it('leaves a failed one to staff (they were mailed and redrive it), never starting anew', () => {
    for (const status of ['FAILED', 'TIMED_OUT', 'ABORTED'] as const)
      expect(attachRunCheck(status)).toBe('failed');
  });

  it('reports one that ended while its domain is still pending', () => {
    expect(attachRunCheck('SUCCEEDED')).toBe('ended');
  });
});

describe('isSettled', () => {
  const before = Date.parse('2026-03-01T10:00:00Z');

  it('is true only when every item last changed before the grace period began', () => {
    expect(isSettled(['2026-03-01T09:00:00Z', '2026-03-01T10:00:00Z'], before)).toBe(true);
    expect(isSettled(['2026-03-01T09:00:00Z', '2026-03-01T10:00:01Z'], before)).toBe(false);
  });
});
