import type { ExecutionStatus } from '../integrations/stepfunctions/workflows.js';

// What the reconcile job does about a pending custom domain of a live project, by the state of its
// attach-domain execution (the one under the domain's current attempt).

export type AttachRunCheck =
  /** None exists (the start was lost after the domain was stored): start it, by its name. */
  | 'start'
  /** It works on the domain (or a redrive is about to). */
  | 'running'
  /** It stopped on a fault: attach-status.ts told staff, who redrive it; starting anew would skip that. */
  | 'failed'
  /** It ended, yet the domain is still pending: nothing automatic can tell why, so staff hear once. */
  | 'ended';

export function attachRunCheck(status: ExecutionStatus | null): AttachRunCheck {
  switch (status) {
    case null:
      return 'start';
    case 'RUNNING':
    case 'PENDING_REDRIVE':
      return 'running';
    case 'FAILED':
    case 'TIMED_OUT':
    case 'ABORTED':
      return 'failed';
    case 'SUCCEEDED':
      return 'ended';
  }
}

/** Whether a domain (and its project) last changed before `settledBefore` (ms): not just being started. */
export function isSettled(updatedAt: readonly string[], settledBefore: number): boolean {
  return updatedAt.every((at) => Date.parse(at) <= settledBefore);
}
