import { mailConfig, sendMail } from '../integrations/mail/mailer.js';
import { checkoutPaymentFailedMail, paymentForClosedProjectMail } from '../integrations/mail/templates.js';
import { stripe } from '../integrations/stripe/from-secret.js';
import { licenseExpiry } from '../licensing/license.js';
import { logger } from '../platform/logger.js';
import { getProject, type License, type Project, recordPaidOrder } from '../projects/projects-table.js';
import { startProvisioning } from '../provisioning/start-provisioning.js';
import { takeoverPaid } from '../takeover/takeover-payments.js';
import { billingPolicy } from './billing-config.js';
import { nextDueAt } from './billing-rules.js';
import { newBillingItem } from './billing-table.js';
import { releaseExpiredCheckout } from './expired-checkout.js';
import { actionFor, type EventAction } from './stripe-event-actions.js';
import { claimEvent, eventMarkerItem, eventSeen } from './stripe-events-table.js';
import { invoiceFailed, invoicePaid, subscriptionEnded } from './subscription-events.js';
import { trialEndOf } from './subscription-period.js';

// The Stripe webhook (contract: POST /v1/webhooks/stripe). The signature is checked on the raw body
// (a bad, missing or stale one is a 400 and changes nothing); every event id is handled once; and
// what an event asks (stripe-event-actions.ts) is done against the state Stripe reports now, not
// the event's copy: deliveries can come late, twice, concurrently and out of order.

export async function handleStripeWebhook(
  rawBody: string,
  signature: string | undefined,
): Promise<{ received: true }> {
  const client = await stripe();
  const event = client.verifyWebhook(rawBody, signature);
  const action = actionFor(event as unknown as Parameters<typeof actionFor>[0]);
  const context = { eventId: event.id, type: event.type };
  switch (action.kind) {
    case 'fulfil':
      await fulfil(event.id, event.type, action);
      break;
    case 'checkout-payment-failed':
      await checkoutPaymentFailed(event.id, event.type, action);
      break;
    case 'invoice-paid':
    case 'invoice-failed':
    case 'subscription-ended': {
      // Handled before? Every effect is idempotent; the marker only spares a replay the calls.
      if (await eventSeen(event.id)) break;
      const handle = {
        'invoice-paid': invoicePaid,
        'invoice-failed': invoiceFailed,
        'subscription-ended': subscriptionEnded,
      }[action.kind];
      const advanced = await handle(action as never, context);
      logger.info('stripe subscription event handled', { ...context, ...advanced });
      // A step that had to wait (a suspension still running when the payment came) stays due for
      // the billing job; the event itself has been recorded.
      await claimEvent(event.id, event.type);
      break;
    }
    case 'checkout-expired':
      await releaseExpiredCheckout(event.id, event.type, action);
      break;
    case 'ignore':
      logger.info('stripe event ignored', { ...context, reason: action.reason });
      break;
  }
  return { received: true };
}

type Fulfil = Extract<EventAction, { kind: 'fulfil' }>;

/** A paid Checkout Session: the order's licenses are created and provisioning starts, once. */
async function fulfil(eventId: string, type: string, { projectId, sessionId }: Fulfil): Promise<void> {
  const project = await getProject(projectId);
  if (!project) {
    logger.error('stripe payment for an unknown project', { eventId, projectId, sessionId });
    return;
  }
  // A demo's takeover paid by card (shared/takeover/): its run starts.
  if (project.pendingTakeover?.sessionId === sessionId) return takeoverPaid(project, sessionId);
  if (project.status === 'pending_payment') {
    // Re-read: only the session as Stripe has it now says whether this project is paid.
    const session = await (await stripe()).retrieveCheckoutSession(sessionId);
    const paid = session.payment_status === 'paid' || session.payment_status === 'no_payment_required';
    if (
      !paid ||
      session.client_reference_id !== projectId ||
      session.id !== project.stripeCheckoutSessionId
    ) {
      logger.warn('stripe session not paid for this project', { eventId, projectId, sessionId });
      return;
    }
    const subscriptionId =
      typeof session.subscription === 'string' ? session.subscription : session.subscription?.id;
    // A trial: the licenses run in `trial` until it ends, and billing reminds and settles it.
    const subscription = subscriptionId
      ? await (await stripe()).retrieveSubscription(subscriptionId)
      : undefined;
    const trialEndsAt = subscription ? trialEndOf(subscription) : null;
    const now = new Date();
    const trial = trialEndsAt
      ? { trialEndsAt, dueAt: nextDueAt({ trialEndsAt }, 'active', now, billingPolicy()) }
      : undefined;
    const outcome = await recordPaidOrder({
      projectId,
      sessionId,
      subscriptionId,
      licenses: licensesOf(project, now, trialEndsAt),
      ...(trial && subscriptionId
        ? {
            trialEndsAt: trial.trialEndsAt,
            extraItems: [
              newBillingItem(projectId, { subscriptionId, trialEndsAt: trial.trialEndsAt }, trial.dueAt),
            ],
          }
        : {}),
      marker: eventMarkerItem(eventId, type),
      message: `Paid through Stripe (${session.mode}, ${((session.amount_total ?? 0) / 100).toFixed(2)} ${session.currency?.toUpperCase() ?? ''}); provisioning starts`,
    });
    logger.info('stripe payment recorded', { eventId, projectId, outcome });
  }
  const now = await getProject(projectId);
  if (now?.status === 'pending_domain') await startProvisioning(projectId);
  else if (now?.status === 'archived' && (await claimEvent(`${eventId}#staff`, type))) {
    await mailStaff(now, sessionId);
  }
}

/**
 * Licenses of the paid order, from the lines it was priced with; their period starts now, or they
 * run in `trial` until the trial's end.
 */
function licensesOf(project: Project, now: Date, trialEndsAt: string | null): License[] {
  return (project.orderLines ?? []).map((l) => ({
    projectId: project.id,
    plugin: l.plugin,
    status: trialEndsAt ? 'trial' : 'active',
    billingCycle: l.billingCycle,
    priceCents: l.priceCents,
    purchasedAt: now.toISOString(),
    expiresAt: trialEndsAt ?? licenseExpiry(l.billingCycle, now)?.toISOString() ?? null,
  }));
}

type Failed = Extract<EventAction, { kind: 'checkout-payment-failed' }>;

async function checkoutPaymentFailed(eventId: string, type: string, { projectId }: Failed): Promise<void> {
  const project = await getProject(projectId);
  if (project?.status !== 'pending_payment' || !(await claimEvent(eventId, type))) return;
  await sendMail(
    project.billingEmail,
    checkoutPaymentFailedMail(project.locale, { projectName: project.name }),
  );
}

async function mailStaff(project: Project, sessionId: string): Promise<void> {
  try {
    await sendMail(
      mailConfig().STAFF_EMAIL,
      paymentForClosedProjectMail({
        projectName: project.name,
        projectId: project.id,
        status: project.status,
        sessionId,
      }),
    );
  } catch (err) {
    logger.error('staff mail failed', { projectId: project.id, err });
  }
}
