import type Stripe from 'stripe';

// What we send to create a Checkout Session, from our own terms. Prices are ad hoc (`price_data`)
// from our catalog, so no Product or Price objects have to be kept in step at Stripe; the project
// id travels as `client_reference_id` and in the metadata of the session and of what it creates
// (subscription or payment), so every webhook about it names the project.

export const CHECKOUT_CURRENCY = 'eur';

export interface CheckoutLineItem {
  /** Shown on the Checkout page and the invoice, e.g. "Verzeichnis Basic (monthly)". */
  name: string;
  /** Gross price in cents. */
  unitAmountCents: number;
  quantity?: number;
}

interface CheckoutCommon {
  projectId: string;
  /** The Stripe customer (`cus_…`) the session is for. */
  customerId: string;
  lineItems: CheckoutLineItem[];
  /** May contain `{CHECKOUT_SESSION_ID}`, which Stripe replaces. */
  successUrl: string;
  cancelUrl: string;
  /** More metadata; `projectId` is always set. */
  metadata?: Record<string, string>;
  /** The same key makes a repeated create return the first session (a retried task, a double click). */
  idempotencyKey: string;
}

export type CheckoutSessionInput = CheckoutCommon &
  (
    | { mode: 'payment' }
    | {
        mode: 'subscription';
        interval: 'month' | 'year';
        /** A trial before the first payment (only with a card given at checkout). */
        trialPeriodDays?: number;
      }
  );

export function checkoutSessionParams(input: CheckoutSessionInput): Stripe.Checkout.SessionCreateParams {
  const metadata = { ...input.metadata, projectId: input.projectId };
  const recurring = input.mode === 'subscription' ? { interval: input.interval } : undefined;
  const lineItems = input.lineItems.map((item) => ({
    quantity: item.quantity ?? 1,
    price_data: {
      currency: CHECKOUT_CURRENCY,
      unit_amount: item.unitAmountCents,
      product_data: { name: item.name },
      ...(recurring && { recurring }),
    },
  }));
  const common = {
    customer: input.customerId,
    client_reference_id: input.projectId,
    line_items: lineItems,
    success_url: input.successUrl,
    cancel_url: input.cancelUrl,
    metadata,
  };
  if (input.mode === 'payment') return { ...common, mode: 'payment', payment_intent_data: { metadata } };
  return {
    ...common,
    mode: 'subscription',
    subscription_data: {
      metadata,
      ...(input.trialPeriodDays !== undefined && { trial_period_days: input.trialPeriodDays }),
    },
  };
}
