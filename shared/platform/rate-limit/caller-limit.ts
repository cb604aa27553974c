// Per-caller limits on routes that cost us or an outside service per call (orders, domain
// availability at INWX, preview verification): a fixed window per caller, counted in the table
// (rate-limits-table.ts). API Gateway's per-route throttling caps everyone together; this caps one
// caller, so one noisy client cannot use up what the others share.

export interface CallerLimit {
  /** Calls allowed per window and caller. */
  limit: number;
  windowSeconds: number;
}

/** Who a call is counted against: the person, the satellite's project, or (public routes) the address. */
export type CallerIdentity =
  | { kind: 'person'; sub: string }
  | { kind: 'project'; projectId: string }
  | { kind: 'address'; ip: string };

export const callerKey = (who: CallerIdentity): string =>
  who.kind === 'person'
    ? `person:${who.sub}`
    : who.kind === 'project'
      ? `project:${who.projectId}`
      : `ip:${who.ip}`;

/** The window `now` falls in: its start (Unix seconds) and how long until the next one. */
export function windowOf(now: Date, windowSeconds: number): { start: number; retryAfterSeconds: number } {
  const t = Math.floor(now.getTime() / 1000);
  const start = t - (t % windowSeconds);
  return { start, retryAfterSeconds: Math.max(1, start + windowSeconds - t) };
}
