import { describe, expect, it } from 'vitest';
import {
  type BillingPolicy,
  type BillingState,
  DAY_MS,
  dueSteps,
  graceEnd,
  nextDueAt,
  RECHECK_MS,
  trialOutcome,
} from '../../../shared/billing/billing-rules.js';

const policy: BillingPolicy = { graceDays: 7, archiveAfterDays: 30, trialReminderDays: [7, 1] };
const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const at = (days: number) => new Date(T0 + days * DAY_MS);
const iso = (days: number) => at(days).toISOString();
const kinds = (state: BillingState, status: Parameters<typeof dueSteps>[1], days: number) =>
  dueSteps(state, status, at(days), policy).map((s) => s.kind);

describe('trial reminders', () => {
  const trial: BillingState = { trialEndsAt: iso(14) };

  it('are due N days before the end, each once', () => {
    expect(kinds(trial, 'active', 6)).toEqual([]);
    expect(dueSteps(trial, 'active', at(7.5), policy)).toEqual([
      { kind: 'trial-reminder', daysBefore: 7, skipped: [] },
    ]);
    expect(kinds({ ...trial, trialRemindersSent: [7] }, 'active', 8)).toEqual([]);
    expect(dueSteps({ ...trial, trialRemindersSent: [7] }, 'active', at(13.2), policy)).toEqual([
      { kind: 'trial-reminder', daysBefore: 1, skipped: [] },
    ]);
  });

  it('send only the nearest when the job missed days, and none after the end', () => {
    expect(dueSteps(trial, 'active', at(13.5), policy)).toEqual([
      { kind: 'trial-reminder', daysBefore: 1, skipped: [7] },
    ]);
    expect(kinds(trial, 'active', 14)).toEqual(['settle-trial']);
  });

  it('are not sent to a project that is not live', () => {
    expect(kinds(trial, 'suspended', 7.5)).toEqual([]);
  });

  it('the next due time is the next reminder, then the end', () => {
    expect(nextDueAt(trial, 'active', at(1), policy)?.toISOString()).toBe(iso(7));
    expect(nextDueAt({ ...trial, trialRemindersSent: [7] }, 'active', at(8), policy)?.toISOString()).toBe(
      iso(13),
    );
    expect(
      nextDueAt({ ...trial, trialRemindersSent: [7, 1] }, 'active', at(13.5), policy)?.toISOString(),
    ).toBe(iso(14));
    expect(nextDueAt({ ...trial, trialSettledAt: iso(14) }, 'active', at(14), policy)).toBeNull();
  });
});

describe('dunning', () => {
  const dunning = { invoiceId: 'in_1', failedAt: iso(0), graceEndsAt: iso(7) };

  it('warns within the last day of grace, once, then suspends at its end', () => {
    expect(kinds({ dunning }, 'active', 5.9)).toEqual([]);
    expect(kinds({ dunning }, 'active', 6.5)).toEqual(['final-warning']);
    expect(kinds({ dunning: { ...dunning, finalWarningSentAt: iso(6.5) } }, 'active', 6.8)).toEqual([]);
    expect(kinds({ dunning }, 'active', 7)).toEqual(['suspend']);
    expect(nextDueAt({ dunning }, 'active', at(1), policy)?.toISOString()).toBe(iso(6));
  });

  it('archives after M days suspended for non-payment, and resumes once paid', () => {
    const suspended: BillingState = { dunning, paymentSuspendedAt: iso(7) };
    expect(kinds(suspended, 'suspended', 36)).toEqual([]);
    expect(kinds(suspended, 'suspended', 37)).toEqual(['archive']);
    expect(nextDueAt(suspended, 'suspended', at(8), policy)?.toISOString()).toBe(iso(37));
    // Paid (dunning closed) while suspended: resumed, also long after the suspension.
    expect(kinds({ paymentSuspendedAt: iso(7) }, 'suspended', 40)).toEqual(['resume']);
    expect(kinds({ paymentSuspendedAt: iso(7) }, 'active', 40)).toEqual(['forget-suspension']);
  });

  it('leaves a staff suspension alone', () => {
    expect(kinds({}, 'suspended', 3)).toEqual([]);
    expect(kinds({ dunning }, 'suspended', 8)).toEqual([]);
  });

  it('has no grace after a trial', () => {
    expect(graceEnd(at(0), policy, true).toISOString()).toBe(iso(0));
    expect(graceEnd(at(0), policy, false).toISOString()).toBe(iso(7));
  });
});

describe('the end of a subscription', () => {
  it('archives whatever else is due, and nothing once archived', () => {
    expect(kinds({ subscriptionEndedAt: iso(1), trialEndsAt: iso(14) }, 'active', 13.5)).toEqual(['archive']);
    expect(kinds({ subscriptionEndedAt: iso(1) }, 'archived', 2)).toEqual([]);
    expect(nextDueAt({ subscriptionEndedAt: iso(1) }, 'archived', at(2), policy)).toBeNull();
  });

  it('a step waiting on a lifecycle run is looked at again soon', () => {
    expect(nextDueAt({ subscriptionEndedAt: iso(1) }, 'active', at(2), policy)?.getTime()).toBe(
      at(2).getTime() + RECHECK_MS,
    );
  });
});

describe('trialOutcome', () => {
  it('reads the subscription Stripe has now', () => {
    expect(trialOutcome('active')).toBe('paid');
    expect(trialOutcome('trialing')).toBe('not-yet');
    expect(trialOutcome('past_due')).toBe('unpaid');
    expect(trialOutcome('canceled')).toBe('ended');
  });
});
