import {
  finalWarningMail,
  paymentFailedMail,
  trialEndingMail,
} from '../integrations/mail/billing-templates.js';
import { sendMail } from '../integrations/mail/mailer.js';
import { stripe } from '../integrations/stripe/from-secret.js';
import { graceChanges, paidPeriodChanges } from '../licensing/license-periods.js';
import { applyPaymentChanges } from '../licensing/licenses-table.js';
import { requestLifecycleAction } from '../lifecycle/lifecycle-requests.js';
import { ConflictError } from '../platform/errors.js';
import type { Caller } from '../platform/http/auth.js';
import { logger } from '../platform/logger.js';
import { appendLog, getProject, listLicenses, type Project } from '../projects/projects-table.js';
import { billingPolicy } from './billing-config.js';
import {
  type BillingPolicy,
  type BillingStep,
  DAY_MS,
  dueSteps,
  graceEnd,
  nextDueAt,
  trialOutcome,
} from './billing-rules.js';
import {
  type BillingRecord,
  claimFinalWarning,
  claimTrialReminder,
  closeDunning,
  forgetPaymentSuspension,
  getBilling,
  markPaymentSuspension,
  markSubscriptionEnded,
  openDunning,
  releaseFinalWarning,
  releaseTrialReminder,
  scheduleBilling,
  settleTrial,
} from './billing-table.js';
import { projectPageUrl } from './checkout-config.js';
import { invoiceIdOf, periodEndOf } from './subscription-period.js';

// Does what is due for a project's billing (billing-rules.ts dueSteps) and schedules the next
// time: the daily billing job calls it for every project due, the webhook right after recording
// what Stripe said. Suspension, resumption and archival are lifecycle requests (shared/lifecycle)
// under the name "billing", so they run the very flows staff use, once each.

/** Billing asks for lifecycle actions as this caller; the project log and history name it. */
export const BILLING_CALLER: Caller = { sub: 'billing', email: 'billing', roles: ['admin'] };

export interface Advanced {
  done: BillingStep['kind'][];
  /** Steps that could not be done now (another lifecycle run is under way); they stay due. */
  deferred: BillingStep['kind'][];
}

export async function advanceBilling(projectId: string, now: Date): Promise<Advanced> {
  const policy = billingPolicy();
  const result: Advanced = { done: [], deferred: [] };
  const [billing, project] = await Promise.all([getBilling(projectId), getProject(projectId)]);
  if (!billing || !project) return result;
  for (const step of dueSteps(billing, project.status, now, policy)) {
    try {
      await perform(step, project, billing, now, policy);
      result.done.push(step.kind);
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      logger.warn('billing step deferred', { projectId, step: step.kind, reason: err.message });
      result.deferred.push(step.kind);
    }
  }
  await reschedule(projectId, now, policy);
  return result;
}

/** Sets the next due time from what is stored now (again if another write came in between). */
async function reschedule(projectId: string, now: Date, policy: BillingPolicy): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const [billing, project] = await Promise.all([getBilling(projectId), getProject(projectId)]);
    if (!billing || !project) return;
    if (await scheduleBilling(projectId, billing.version, nextDueAt(billing, project.status, now, policy)))
      return;
  }
  logger.warn('billing schedule kept changing; the next run sets it', { projectId });
}

async function perform(
  step: BillingStep,
  project: Project,
  billing: BillingRecord,
  now: Date,
  policy: BillingPolicy,
): Promise<void> {
  const id = project.id;
  switch (step.kind) {
    case 'trial-reminder': {
      if (!billing.trialEndsAt || !(await claimTrialReminder(id, step.daysBefore, step.skipped))) return;
      const daysLeft = Math.max(1, Math.ceil((Date.parse(billing.trialEndsAt) - now.getTime()) / DAY_MS));
      await sendOnce(
        () =>
          sendMail(
            project.billingEmail,
            trialEndingMail(project.locale, {
              projectName: project.name,
              daysLeft,
              trialEndsAt: billing.trialEndsAt!,
              projectUrl: projectPageUrl(id),
            }),
          ),
        () => releaseTrialReminder(id, step.daysBefore),
      );
      await appendLog({
        projectId: id,
        action: 'trial_reminder',
        message: `Trial ends in ${daysLeft} day(s): the billing contact was reminded`,
        triggeredBy: 'billing',
      });
      return;
    }
    case 'settle-trial':
      return settleEndedTrial(project, billing, now, policy);
    case 'final-warning': {
      const d = billing.dunning;
      if (!d || !(await claimFinalWarning(id, d.invoiceId, now))) return;
      await sendOnce(
        () =>
          sendMail(
            project.billingEmail,
            finalWarningMail(project.locale, {
              projectName: project.name,
              suspendsAt: d.graceEndsAt,
              projectUrl: projectPageUrl(id),
            }),
          ),
        () => releaseFinalWarning(id, d.invoiceId),
      );
      await appendLog({
        projectId: id,
        action: 'final_warning',
        message: `Final warning sent: suspension at ${d.graceEndsAt} unless invoice ${d.invoiceId} is paid`,
        externalService: 'stripe',
        externalId: d.invoiceId,
        triggeredBy: 'billing',
      });
      return;
    }
    case 'suspend': {
      const d = billing.dunning;
      if (!d) return;
      // Never trust the order of events: a payment whose event is late or lost still counts.
      if (billing.subscriptionId && (await subscriptionPaidUp(billing.subscriptionId))) {
        await closeDunning(id);
        return;
      }
      await markPaymentSuspension(id, now);
      await requestLifecycleAction(BILLING_CALLER, id, 'suspend', {
        reason: `Zahlung ausstehend (Rechnung ${d.invoiceId}) / payment outstanding`,
      });
      return;
    }
    case 'resume':
      await requestLifecycleAction(BILLING_CALLER, id, 'resume', {
        reason: 'Zahlung eingegangen / payment received',
      });
      return;
    case 'archive':
      await requestLifecycleAction(BILLING_CALLER, id, 'archive', {
        reason:
          step.reason === 'subscription-ended'
            ? 'Abonnement beendet / subscription ended'
            : `Seit ${policy.archiveAfterDays} Tagen wegen offener Zahlung gesperrt / suspended for non-payment for ${policy.archiveAfterDays} days`,
      });
      return;
    case 'forget-suspension':
      await forgetPaymentSuspension(id);
      return;
  }
}

/** A claimed mail: the claim is given back when sending fails, so the next run sends it. */
async function sendOnce(send: () => Promise<unknown>, release: () => Promise<unknown>): Promise<void> {
  try {
    await send();
  } catch (err) {
    await release();
    throw err;
  }
}

async function subscriptionPaidUp(subscriptionId: string): Promise<boolean> {
  const sub = await (await stripe()).retrieveSubscription(subscriptionId);
  return sub.status === 'active';
}

/** The trial's end: converted when Stripe has been paid, else chased at once (no grace after a trial). */
async function settleEndedTrial(project: Project, billing: BillingRecord, now: Date, policy: BillingPolicy) {
  if (!billing.subscriptionId) return;
  const sub = await (await stripe()).retrieveSubscription(billing.subscriptionId);
  const outcome = trialOutcome(sub.status);
  if (outcome === 'not-yet') return;
  if (outcome === 'paid') {
    const periodEnd = periodEndOf(sub);
    if (periodEnd) await renewLicenses(project.id, periodEnd, `trial converted: subscription ${sub.id} paid`);
  } else if (outcome === 'unpaid') {
    const invoiceId = invoiceIdOf(sub);
    const invoice = invoiceId ? await (await stripe()).retrieveInvoice(invoiceId) : undefined;
    await startDunning(
      project,
      sub.id,
      { invoiceId: invoiceId ?? sub.id, amountCents: invoice?.amount_due ?? 0, currency: sub.currency },
      now,
      policy,
      true,
    );
  } else {
    await markSubscriptionEnded(project.id, sub.id, now);
  }
  await settleTrial(project.id, now);
}

/** Extends the project's recurring licenses to a paid period's end (trial ones become active). */
export async function renewLicenses(projectId: string, periodEnd: string, reason: string) {
  const changes = paidPeriodChanges(await listLicenses(projectId), periodEnd);
  return applyPaymentChanges(projectId, changes, { by: 'stripe', reason });
}

/**
 * A failed payment opens dunning once (a second failure keeps the first grace): the licenses stay
 * valid through the grace, the billing contact is told when the suspension comes, the log says so.
 */
export async function startDunning(
  project: Project,
  subscriptionId: string,
  invoice: { invoiceId: string; amountCents: number; currency: string },
  now: Date,
  policy: BillingPolicy,
  afterTrial: boolean,
): Promise<boolean> {
  const graceEndsAt = graceEnd(now, policy, afterTrial).toISOString();
  const opened = await openDunning(
    project.id,
    { invoiceId: invoice.invoiceId, failedAt: now.toISOString(), graceEndsAt },
    subscriptionId,
  );
  if (!opened) return false;
  const kept = await applyPaymentChanges(
    project.id,
    graceChanges(await listLicenses(project.id), graceEndsAt),
    {
      by: 'billing',
      reason: `grace after the failed payment of invoice ${invoice.invoiceId}`,
    },
  );
  await appendLog({
    projectId: project.id,
    action: 'payment_failed',
    message: `Payment of invoice ${invoice.invoiceId} failed; suspension at ${graceEndsAt} unless paid${kept.length ? ` (licenses kept valid until then: ${kept.map((k) => k.plugin).join(', ')})` : ''}`,
    externalService: 'stripe',
    externalId: invoice.invoiceId,
    triggeredBy: 'stripe',
  });
  try {
    await sendMail(
      project.billingEmail,
      paymentFailedMail(project.locale, {
        projectName: project.name,
        amountCents: invoice.amountCents,
        currency: invoice.currency,
        suspendsAt: graceEndsAt,
        immediately: afterTrial,
        projectUrl: projectPageUrl(project.id),
      }),
    );
  } catch (err) {
    // Dunning goes on (the final warning and the owner's suspension mail still come).
    logger.error('payment failed mail not sent', { projectId: project.id, err });
  }
  return true;
}
