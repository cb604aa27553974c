// What a Stripe event asks of us (contract: POST /v1/webhooks/stripe; reference E. Stripe). Pure:
// the webhook handler verifies and de-duplicates the event, then does what this says. Stripe's
// order of events is not guaranteed, so no action trusts the event's copy of an object where order
// matters: fulfilment re-reads the Checkout Session, renewals the subscription.

/** The parts of a Stripe event we read (structurally; the SDK's Stripe.Event fits). */
export interface StripeEventLike {
  id: string;
  type: string;
  data: { object: Record<string, unknown> };
}

export type EventAction =
  /** The Checkout Session is paid (at once, or later for delayed methods): provision once. */
  | { kind: 'fulfil'; projectId: string; sessionId: string }
  /** A delayed payment method failed at checkout: tell the customer; nothing was provisioned. */
  | { kind: 'checkout-payment-failed'; projectId: string; sessionId: string }
  /** The Checkout Session expired unpaid: the order lapses and frees its subdomain (expired-checkout.ts). */
  | { kind: 'checkout-expired'; projectId: string; sessionId: string }
  /** A subscription invoice was paid: extend licenses, resume a suspended project. */
  | { kind: 'invoice-paid'; subscriptionId: string; invoiceId: string; projectId: string | undefined }
  /** A subscription invoice failed: dunning begins. */
  | { kind: 'invoice-failed'; subscriptionId: string; invoiceId: string; projectId: string | undefined }
  /** The subscription ended: the project is archived. */
  | { kind: 'subscription-ended'; subscriptionId: string; projectId: string | undefined }
  /** Nothing to do: an event we don't handle, or a state we wait past (an unpaid completed session). */
  | { kind: 'ignore'; reason: string };

export function actionFor(event: StripeEventLike): EventAction {
  const o = event.data.object;
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const projectId = projectOf(o);
      if (!projectId) return { kind: 'ignore', reason: 'session names no project' };
      if (o.payment_status !== 'paid' && o.payment_status !== 'no_payment_required')
        return {
          kind: 'ignore',
          reason: `session ${String(o.id)} is ${String(o.payment_status)}: awaiting the payment`,
        };
      return { kind: 'fulfil', projectId, sessionId: String(o.id) };
    }
    case 'checkout.session.async_payment_failed': {
      const projectId = projectOf(o);
      if (!projectId) return { kind: 'ignore', reason: 'session names no project' };
      return { kind: 'checkout-payment-failed', projectId, sessionId: String(o.id) };
    }
    case 'checkout.session.expired': {
      const projectId = projectOf(o);
      if (!projectId) return { kind: 'ignore', reason: 'session names no project' };
      return { kind: 'checkout-expired', projectId, sessionId: String(o.id) };
    }
    case 'invoice.paid':
    case 'invoice.payment_failed': {
      const subscriptionId = subscriptionOf(o);
      if (!subscriptionId) return { kind: 'ignore', reason: 'invoice of no subscription' };
      const kind = event.type === 'invoice.paid' ? 'invoice-paid' : 'invoice-failed';
      return { kind, subscriptionId, invoiceId: String(o.id), projectId: metadataProject(o) };
    }
    case 'customer.subscription.deleted':
      return { kind: 'subscription-ended', subscriptionId: String(o.id), projectId: metadataProject(o) };
    default:
      return { kind: 'ignore', reason: `event type ${event.type} is not handled` };
  }
}

function projectOf(o: Record<string, unknown>): string | undefined {
  const ref = o.client_reference_id;
  return typeof ref === 'string' && ref ? ref : metadataProject(o);
}

function metadataProject(o: Record<string, unknown>): string | undefined {
  const meta = o.metadata as Record<string, unknown> | null | undefined;
  const parent = o.parent as
    | { subscription_details?: { metadata?: Record<string, unknown> } }
    | null
    | undefined;
  const id = meta?.projectId ?? parent?.subscription_details?.metadata?.projectId;
  return typeof id === 'string' && id ? id : undefined;
}

/** An invoice names its subscription directly (older API versions) or under `parent` (newer). */
function subscriptionOf(o: Record<string, unknown>): string | undefined {
  const direct = o.subscription;
  if (typeof direct === 'string') return direct;
  if (direct && typeof direct === 'object' && 'id' in direct) return String((direct as { id: unknown }).id);
  const parent = o.parent as { subscription_details?: { subscription?: unknown } } | null | undefined;
  const nested = parent?.subscription_details?.subscription;
  return typeof nested === 'string' ? nested : undefined;
}
