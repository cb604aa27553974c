import type Stripe from 'stripe';
import { stripe } from '../integrations/stripe/from-secret.js';
import { logger } from '../platform/logger.js';
import { appendLog, getProject, type Project } from '../projects/projects-table.js';
import { type Advanced, advanceBilling, renewLicenses, startDunning } from './advance-billing.js';
import { billingPolicy } from './billing-config.js';
import { closeDunning, getBilling, markSubscriptionEnded, settleTrial } from './billing-table.js';
import type { EventAction } from './stripe-event-actions.js';
import { periodEndOf } from './subscription-period.js';

// What a subscription's events do (issue: Commerce): a paid invoice extends the licenses and ends
// dunning (resuming a project billing suspended — also when the payment comes after the
// suspension); a failed one starts dunning; the subscription's end archives the project. Each
// re-reads the subscription from Stripe first (events come late, twice and out of order) and only
// records facts; advanceBilling then does what is due, exactly as the daily job would.

type InvoicePaid = Extract<EventAction, { kind: 'invoice-paid' }>;
type InvoiceFailed = Extract<EventAction, { kind: 'invoice-failed' }>;
type SubscriptionEnded = Extract<EventAction, { kind: 'subscription-ended' }>;

const NOTHING: Advanced = { done: [], deferred: [] };

/** The subscription as Stripe has it now, and the project it belongs to (null if none of ours). */
async function subscriptionAndProject(
  subscriptionId: string,
  projectIdFromEvent: string | undefined,
  context: Record<string, unknown>,
): Promise<{ sub: Stripe.Subscription; project: Project } | null> {
  const sub = await (await stripe()).retrieveSubscription(subscriptionId);
  const projectId = projectIdFromEvent ?? sub.metadata?.projectId;
  const project = projectId ? await getProject(projectId) : undefined;
  if (!project || project.stripeSubscriptionId !== sub.id) {
    // A payment before the Checkout Session's own event is recorded with the session (fulfil).
    if (project?.status === 'pending_payment') logger.info('subscription event before its checkout', context);
    else logger.error('stripe subscription of no project of ours', { ...context, projectId });
    return null;
  }
  return { sub, project };
}

export async function invoicePaid(action: InvoicePaid, context: Record<string, unknown>): Promise<Advanced> {
  const found = await subscriptionAndProject(action.subscriptionId, action.projectId, context);
  if (!found) return NOTHING;
  const { sub, project } = found;
  if (project.status === 'archived') {
    logger.error('stripe invoice paid for an archived project', { ...context, projectId: project.id });
    return NOTHING;
  }
  // A trial's €0 invoice, or a payment Stripe has since been overtaken on: nothing to extend.
  if (sub.status !== 'active') {
    logger.info('invoice paid, subscription not active', { ...context, status: sub.status });
    return NOTHING;
  }
  const now = new Date();
  const periodEnd = periodEndOf(sub);
  const renewed = periodEnd
    ? await renewLicenses(project.id, periodEnd, `invoice ${action.invoiceId} paid`)
    : [];
  const billing = await getBilling(project.id);
  const dunningEnded = billing?.dunning ? await closeDunning(project.id) : false;
  if (billing?.trialEndsAt && !billing.trialSettledAt) await settleTrial(project.id, now);
  if (renewed.length || dunningEnded) {
    await appendLog({
      projectId: project.id,
      action: 'payment_received',
      message: `Invoice ${action.invoiceId} paid: licenses run until ${periodEnd}${dunningEnded ? '; dunning ended' : ''}`,
      externalService: 'stripe',
      externalId: action.invoiceId,
      triggeredBy: 'stripe',
    });
  }
  return billing ? advanceBilling(project.id, now) : NOTHING;
}

export async function invoiceFailed(
  action: InvoiceFailed,
  context: Record<string, unknown>,
): Promise<Advanced> {
  const found = await subscriptionAndProject(action.subscriptionId, action.projectId, context);
  if (!found) return NOTHING;
  const { sub, project } = found;
  // Paid since (a retry succeeded before this event came): nothing is owed.
  if (sub.status === 'active' || sub.status === 'trialing') {
    logger.info('invoice failed, but the subscription is paid up now', { ...context, status: sub.status });
    return NOTHING;
  }
  if (project.status !== 'active' && project.status !== 'suspended') {
    logger.warn('invoice failed for a project not live', { ...context, status: project.status });
    return NOTHING;
  }
  const now = new Date();
  const billing = await getBilling(project.id);
  const invoice = await (await stripe()).retrieveInvoice(action.invoiceId);
  const afterTrial = Boolean(billing?.trialEndsAt && !billing.trialSettledAt);
  await startDunning(
    project,
    sub.id,
    { invoiceId: action.invoiceId, amountCents: invoice.amount_due, currency: invoice.currency },
    now,
    billingPolicy(),
    afterTrial,
  );
  if (afterTrial) await settleTrial(project.id, now);
  return advanceBilling(project.id, now);
}

export async function subscriptionEnded(
  action: SubscriptionEnded,
  context: Record<string, unknown>,
): Promise<Advanced> {
  const found = await subscriptionAndProject(action.subscriptionId, action.projectId, context);
  if (!found) return NOTHING;
  const { sub, project } = found;
  if (sub.status !== 'canceled' && sub.status !== 'incomplete_expired') {
    logger.warn('subscription deleted event, but Stripe shows it running', {
      ...context,
      status: sub.status,
    });
    return NOTHING;
  }
  if (project.status === 'archived') return NOTHING;
  const now = new Date();
  const billing = await getBilling(project.id);
  if (!billing?.subscriptionEndedAt) {
    await markSubscriptionEnded(project.id, sub.id, now);
    await appendLog({
      projectId: project.id,
      action: 'subscription_ended',
      message: `Subscription ${sub.id} ended at Stripe; the project is archived`,
      externalService: 'stripe',
      externalId: sub.id,
      triggeredBy: 'stripe',
    });
  }
  return advanceBilling(project.id, now);
}
