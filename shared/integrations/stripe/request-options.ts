import { callTimeoutMs } from '../../platform/deadline.js';

// How long one Stripe call may take, all its attempts together, so it ends within the invocation
// (shared/platform/deadline.ts). The SDK retries by itself (connection errors, 409, 5xx) up to
// `maxNetworkRetries` times, waiting 0.5 s, 1 s, 2 s … (max 5 s) in between, and applies `timeout`
// to each attempt: so each attempt gets an equal share of what is left after those waits, and
// retries that would leave an attempt too little time are dropped.
// (The SDK also repeats an attempt once whose connection was closed before an answer — a stale
// keep-alive socket — even with 0 retries; those fail at once, so they are not budgeted.)

/** The SDK's waits before retry n (1-based): 0.5 s doubled per retry, at most 5 s. */
const retryDelayMs = (n: number) => Math.min(500 * 2 ** (n - 1), 5_000);
/** An attempt shorter than this (or than the call's own limit) is not worth a retry. */
const MIN_ATTEMPT_MS = 2_000;

export interface StripeCallOptions {
  timeout: number;
  maxNetworkRetries: number;
}

/**
 * Per-call SDK options: each attempt at most `limitMs`, with up to `maxRetries` retries, all
 * within the time the invocation has left. Throws TransientError when no attempt fits any more.
 */
export function stripeCallOptions(limitMs: number, maxRetries: number): StripeCallOptions {
  let delays = 0;
  for (let n = 1; n <= maxRetries; n++) delays += retryDelayMs(n);
  const budget = callTimeoutMs((maxRetries + 1) * limitMs + delays);
  for (let retries = maxRetries; retries > 0; retries--) {
    const timeout = Math.min(limitMs, Math.floor((budget - delays) / (retries + 1)));
    if (timeout >= Math.min(limitMs, MIN_ATTEMPT_MS)) return { timeout, maxNetworkRetries: retries };
    delays -= retryDelayMs(retries);
  }
  return { timeout: Math.min(limitMs, budget), maxNetworkRetries: 0 };
}
