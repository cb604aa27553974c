import { sendMail } from '../integrations/mail/mailer.js';
import { orderLapsedMail } from '../integrations/mail/order-templates.js';
import { stripe } from '../integrations/stripe/from-secret.js';
import { logger } from '../platform/logger.js';
import { getProject, listDomains } from '../projects/projects-table.js';
import { releaseUnpaidOrder } from '../projects/unpaid-orders-table.js';
import { takeoverLapsed } from '../takeover/takeover-payments.js';
import { lapseDecision, lapseReason } from './checkout-lapse.js';
import type { EventAction } from './stripe-event-actions.js';
import { eventMarkerItem } from './stripe-events-table.js';

// checkout.session.expired (issue: Commerce): a card order whose Checkout Session expired unpaid
// is released — archived with the reason, its subdomain, domain and slug free for a new order —
// in one conditional transaction with the event's marker, so a repeat or a concurrent duplicate
// changes nothing, and an event about another session or a project that moved on changes nothing.

type Expired = Extract<EventAction, { kind: 'checkout-expired' }>;

export async function releaseExpiredCheckout(
  eventId: string,
  type: string,
  { projectId, sessionId }: Expired,
): Promise<void> {
  const context = { eventId, projectId, sessionId };
  const project = await getProject(projectId);
  // A demo's takeover paid by card whose Checkout expired (shared/takeover/): it lapses, nothing else.
  if (project?.pendingTakeover?.sessionId === sessionId) return takeoverLapsed(project, sessionId);
  // Cheap checks first: a replay for a released project needs no call to Stripe.
  if (project?.status !== 'pending_payment' || project.stripeCheckoutSessionId !== sessionId) {
    logger.info('expired checkout changes nothing', {
      ...context,
      status: project?.status ?? 'unknown project',
    });
    return;
  }
  // Never the event's copy: only the session as Stripe has it now says it expired unpaid.
  const session = await (await stripe()).retrieveCheckoutSession(sessionId);
  const decision = lapseDecision(project, session);
  if (!decision.release) {
    logger.warn('expired checkout not released', { ...context, reason: decision.reason });
    return;
  }
  const domains = await listDomains(projectId);
  const outcome = await releaseUnpaidOrder({
    projectId,
    sessionId,
    slug: project.slug,
    domains,
    marker: eventMarkerItem(eventId, type),
    reason: lapseReason(sessionId),
  });
  if (outcome === 'parts-changed') logger.error('unpaid order not released: its parts changed', context);
  else logger.info('expired checkout', { ...context, outcome });
  if (outcome !== 'released') return;
  // Only the delivery that released the order gets here: the mail goes once. Losing it is no harm.
  const primary = domains.find((d) => d.isPrimary) ?? domains[0];
  try {
    await sendMail(
      project.billingEmail,
      orderLapsedMail(project.locale, {
        projectName: project.name,
        domain: primary?.unicode ?? primary?.domain ?? project.slug,
      }),
    );
  } catch (err) {
    logger.error('order-lapsed mail failed', { ...context, err });
  }
}
