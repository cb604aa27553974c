// Growing waits with a hard bound for the deployment and health poll loops: each Wait state reads
// the next interval from the task before it, so the loop stays far from the 25,000-event history limit.

export interface PollSchedule {
  firstWaitSeconds: number;
  maxWaitSeconds: number;
  maxAttempts: number;
}

export const DEPLOYMENT_POLL: PollSchedule = { firstWaitSeconds: 10, maxWaitSeconds: 60, maxAttempts: 40 };
export const HEALTH_POLL: PollSchedule = { firstWaitSeconds: 5, maxWaitSeconds: 60, maxAttempts: 30 };

/** Seconds to wait after the `attempt`-th (1-based) unsuccessful poll: doubles up to the cap. */
export function nextWaitSeconds(schedule: PollSchedule, attempt: number): number {
  const grown = schedule.firstWaitSeconds * 2 ** Math.max(0, attempt - 1);
  return Math.min(schedule.maxWaitSeconds, grown);
}

export function isExhausted(schedule: PollSchedule, attempt: number): boolean {
  return attempt >= schedule.maxAttempts;
}

/**
 * Inside one task invocation, keep checking for up to `windowMs` (every `intervalMs`) before
 * handing back to the state machine's Wait: most deployments and bootstraps finish within it, which
 * saves a Wait → Task → Choice round (3 transitions) per check.
 */
export async function pollWithin<T>(
  check: () => Promise<T>,
  isDone: (result: T) => boolean,
  opts: { windowMs: number; intervalMs: number },
): Promise<T> {
  const deadline = Date.now() + opts.windowMs;
  for (;;) {
    const result = await check();
    if (isDone(result) || Date.now() + opts.intervalMs > deadline) return result;
    await new Promise((r) => setTimeout(r, opts.intervalMs));
  }
}
