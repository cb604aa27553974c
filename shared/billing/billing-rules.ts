import type { ProjectStatus } from '../projects/project-status.js';

// Billing's calendar as rules (issue: Commerce, "Dunning and lifecycle", "Trials"): what is due for
// a project's billing now, and when the next thing will be. The webhook records facts (a failed or
// paid invoice, a cancelled subscription) and the daily billing job reads the clock; both then do
// what dueSteps says. Pure, so every date rule is unit-tested.

export interface BillingPolicy {
  /** Days between a failed payment and the suspension. */
  graceDays: number;
  /** Days a project stays suspended for non-payment before it is archived. */
  archiveAfterDays: number;
  /** "Trial ends in N days" reminders, each sent once. */
  trialReminderDays: number[];
}

/** The policy unless a deployment says otherwise (CDK context; infra/settings.ts). */
export const DEFAULT_BILLING_POLICY: BillingPolicy = {
  graceDays: 7,
  archiveAfterDays: 30,
  trialReminderDays: [7, 1],
};

export const DAY_MS = 86_400_000;
/** The final warning goes out within the last day of grace. */
export const FINAL_WARNING_MS = DAY_MS;
/** How soon a step that waits on someone else (Stripe closing a trial, a lifecycle run) is looked at again. */
export const RECHECK_MS = 3_600_000;

/** A failed invoice being chased: its grace ends at graceEndsAt. */
export interface Dunning {
  invoiceId: string;
  failedAt: string;
  graceEndsAt: string;
  finalWarningSentAt?: string;
}

/** What billing knows about a project beyond its status (the BILLING item, billing-table.ts). */
export interface BillingState {
  subscriptionId?: string;
  trialEndsAt?: string;
  /** The reminders sent (or skipped as too late), by days before the trial's end. */
  trialRemindersSent?: number[];
  /** The trial was settled: converted to paid, or handed to dunning. */
  trialSettledAt?: string;
  dunning?: Dunning;
  /** Billing suspended the project for non-payment (a staff suspension is not ours to lift). */
  paymentSuspendedAt?: string;
  /** The subscription ended at Stripe: the project is archived. */
  subscriptionEndedAt?: string;
}

export type BillingStep =
  | { kind: 'trial-reminder'; daysBefore: number; skipped: number[] }
  | { kind: 'settle-trial' }
  | { kind: 'final-warning' }
  | { kind: 'suspend' }
  | { kind: 'resume' }
  | { kind: 'archive'; reason: 'subscription-ended' | 'unpaid' }
  /** Housekeeping: the payment suspension is over (resumed, or archived). */
  | { kind: 'forget-suspension' };

const ms = (iso: string): number => Date.parse(iso);
const LIVE: readonly ProjectStatus[] = ['active'];

/** The grace of a payment that failed at `failedAt`; none after a trial (the trial was the grace). */
export function graceEnd(failedAt: Date, policy: BillingPolicy, afterTrial: boolean): Date {
  return new Date(failedAt.getTime() + (afterTrial ? 0 : policy.graceDays * DAY_MS));
}

/** The reminders due now that were not sent: only the nearest is mailed, earlier ones are skipped. */
function dueReminder(state: BillingState, now: number, policy: BillingPolicy): BillingStep | null {
  if (!state.trialEndsAt || state.trialSettledAt) return null;
  const end = ms(state.trialEndsAt);
  if (now >= end) return null;
  const sent = state.trialRemindersSent ?? [];
  const due = policy.trialReminderDays
    .filter((d) => !sent.includes(d) && now >= end - d * DAY_MS)
    .sort((a, b) => a - b);
  const [nearest, ...skipped] = due;
  return nearest === undefined ? null : { kind: 'trial-reminder', daysBefore: nearest, skipped };
}

/** Everything due at `now`, in the order it should be done. */
export function dueSteps(
  state: BillingState,
  status: ProjectStatus,
  now: Date,
  policy: BillingPolicy,
): BillingStep[] {
  const t = now.getTime();
  if (status === 'archived') return state.paymentSuspendedAt ? [{ kind: 'forget-suspension' }] : [];
  if (state.subscriptionEndedAt) return [{ kind: 'archive', reason: 'subscription-ended' }];
  const steps: BillingStep[] = [];
  const reminder = dueReminder(state, t, policy);
  if (reminder && LIVE.includes(status)) steps.push(reminder);
  if (state.trialEndsAt && !state.trialSettledAt && t >= ms(state.trialEndsAt) && LIVE.includes(status))
    steps.push({ kind: 'settle-trial' });
  const d = state.dunning;
  if (d && LIVE.includes(status)) {
    const graceEnds = ms(d.graceEndsAt);
    if (t >= graceEnds) steps.push({ kind: 'suspend' });
    else if (!d.finalWarningSentAt && t >= graceEnds - FINAL_WARNING_MS)
      steps.push({ kind: 'final-warning' });
  }
  if (state.paymentSuspendedAt && status === 'suspended') {
    if (!d) steps.push({ kind: 'resume' });
    else if (t >= ms(state.paymentSuspendedAt) + policy.archiveAfterDays * DAY_MS)
      steps.push({ kind: 'archive', reason: 'unpaid' });
  }
  if (state.paymentSuspendedAt && status === 'active' && !d) steps.push({ kind: 'forget-suspension' });
  return steps;
}

/**
 * When something is next due (the BILLINGDUE index's sort key), or null when billing has nothing
 * left to do for the project. A step waiting on someone else is looked at again after RECHECK_MS.
 */
export function nextDueAt(
  state: BillingState,
  status: ProjectStatus,
  now: Date,
  policy: BillingPolicy,
): Date | null {
  const t = now.getTime();
  if (dueSteps(state, status, now, policy).length > 0) return new Date(t + RECHECK_MS);
  if (status === 'archived') return null;
  const candidates: number[] = [];
  if (state.trialEndsAt && !state.trialSettledAt) {
    const end = ms(state.trialEndsAt);
    const sent = state.trialRemindersSent ?? [];
    for (const d of policy.trialReminderDays) if (!sent.includes(d)) candidates.push(end - d * DAY_MS);
    candidates.push(end);
  }
  if (state.dunning) {
    const graceEnds = ms(state.dunning.graceEndsAt);
    if (!state.dunning.finalWarningSentAt) candidates.push(graceEnds - FINAL_WARNING_MS);
    candidates.push(graceEnds);
    if (state.paymentSuspendedAt)
      candidates.push(ms(state.paymentSuspendedAt) + policy.archiveAfterDays * DAY_MS);
  }
  const future = candidates.filter((c) => c > t);
  if (future.length === 0) return candidates.length ? new Date(t + RECHECK_MS) : null;
  return new Date(Math.min(...future));
}

/** How billing reads a Stripe subscription's status for a trial that has ended. */
export function trialOutcome(subscriptionStatus: string): 'paid' | 'not-yet' | 'unpaid' | 'ended' {
  switch (subscriptionStatus) {
    case 'active':
      return 'paid';
    case 'trialing':
      return 'not-yet';
    case 'canceled':
    case 'incomplete_expired':
      return 'ended';
    default:
      return 'unpaid';
  }
}
