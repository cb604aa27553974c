import { AsyncLocalStorage } from 'node:async_hooks';
import { TransientError } from './errors.js';

// The time an invocation has left (Lambda's getRemainingTimeInMillis), so that every external
// call fits into it: a call that would outlive the invocation is cut short, and one that can no
// longer fit fails as transient — the state machine then retries the task in a fresh invocation
// (tasks are idempotent), instead of Lambda killing it mid-write.

const deadlines = new AsyncLocalStorage<number>();

/** Kept back from every call for the writes that follow it. */
const RESERVE_MS = 1_500;
/** Below this a call is not worth starting. */
const MIN_CALL_MS = 250;

/** Runs `fn` with a deadline `remainingMs` from now (one per invocation; nested calls keep it). */
export function withDeadline<T>(remainingMs: number, fn: () => Promise<T>): Promise<T> {
  return deadlines.run(Date.now() + remainingMs, fn);
}

/** Milliseconds left in this invocation; Infinity outside one (scripts, tests). */
export function remainingMs(): number {
  const deadline = deadlines.getStore();
  return deadline === undefined ? Number.POSITIVE_INFINITY : deadline - Date.now();
}

/** The timeout for one external call: its own limit, cut to what the invocation can spare. */
export function callTimeoutMs(limitMs: number): number {
  const spare = remainingMs() - RESERVE_MS;
  if (spare < MIN_CALL_MS) {
    throw new TransientError('OutOfTime', 'this invocation has no time left for another external call');
  }
  return Math.min(limitMs, spare);
}

/** Whether another attempt of a call that may take `limitMs` still fits. */
export function timeFor(limitMs: number): boolean {
  return remainingMs() - RESERVE_MS >= Math.min(limitMs, MIN_CALL_MS * 4);
}

/** Send options for an AWS SDK call (all its attempts) that must end within the invocation. */
export function sdkCallOptions(limitMs = 20_000): { abortSignal: AbortSignal } {
  return { abortSignal: AbortSignal.timeout(callTimeoutMs(limitMs)) };
}
