import { stripe } from '../integrations/stripe/from-secret.js';
import { requestLifecycleAction } from '../lifecycle/lifecycle-requests.js';
import { logger } from '../platform/logger.js';
import type { Project } from '../projects/projects-table.js';
import { dropPendingTakeover } from './pending-takeovers-table.js';

// What Stripe's Checkout events mean for a demo's takeover by card (the webhook, shared/billing/
// stripe-webhook.ts, hands them here when the session is the project's pending takeover). Never the
// event's copy: the session is read from Stripe, and every effect is idempotent.

/** The takeover's Checkout is paid: its run starts (once; a repeated event meets the same request). */
export async function takeoverPaid(project: Project, sessionId: string): Promise<void> {
  const pending = project.pendingTakeover;
  if (!pending || pending.sessionId !== sessionId) return;
  const session = await (await stripe()).retrieveCheckoutSession(sessionId);
  const paid = session.payment_status === 'paid' || session.payment_status === 'no_payment_required';
  if (!paid || session.client_reference_id !== project.id) {
    logger.warn('takeover session not paid for this project', { projectId: project.id, sessionId });
    return;
  }
  const subscriptionId =
    typeof session.subscription === 'string' ? session.subscription : session.subscription?.id;
  const run = await requestLifecycleAction(
    { sub: 'stripe', email: pending.requestedBy, roles: ['staff'] },
    project.id,
    'takeover',
    {
      takeover: {
        ...pending.terms,
        stripe: {
          customerId: pending.customerId,
          sessionId,
          ...(subscriptionId ? { subscriptionId } : {}),
        },
      },
    },
  );
  logger.info('takeover paid', { projectId: project.id, sessionId, executionArn: run.executionArn });
}

/** Whether Stripe says the Checkout Session expired (unpaid). */
export async function checkoutExpired(sessionId: string): Promise<boolean> {
  return (await (await stripe()).retrieveCheckoutSession(sessionId)).status === 'expired';
}

/** The takeover's Checkout expired unpaid: the demo stays as it was, and staff may ask again. */
export async function takeoverLapsed(project: Project, sessionId: string): Promise<void> {
  if (project.pendingTakeover?.sessionId !== sessionId) return;
  if (!(await checkoutExpired(sessionId))) return;
  const dropped = await dropPendingTakeover(project.id, sessionId);
  logger.info('takeover lapsed', { projectId: project.id, sessionId, dropped });
}
