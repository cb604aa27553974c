import type { BillingCycle } from '../catalog/pricing.js';
import { getCustomer, rememberStripeCustomer } from '../customers/customers-table.js';
import { stripe } from '../integrations/stripe/from-secret.js';
import { NotAvailableError } from '../platform/errors.js';
import { checkoutConfig } from './checkout-config.js';

// Paying for an order through Stripe Checkout (issue: Commerce): the buyer's Stripe customer (made
// once, from their profile) and one Checkout Session per project — `payment` mode for prepaid,
// `subscription` for recurring billing in the bundle's cycle. Prices are ours (price_data); the
// project id travels as client_reference_id and metadata, so every event about it names it.

export interface CheckoutLine {
  plugin: string;
  displayName: string;
  billingCycle: BillingCycle;
  priceCents: number;
}

export interface CheckoutOrder {
  projectId: string;
  projectName: string;
  ownerEmail: string;
  billingEmail: string;
  paymentMethod: 'stripe_prepaid' | 'stripe_subscription';
  lines: CheckoutLine[];
  /** The project type's trial: a subscription starts with it (the card is charged at its end). */
  trialDays?: number;
  /**
   * What the payment is for: a new order (default) or a demo's takeover (shared/takeover/), whose
   * Checkout is one per takeover request, not one per project.
   */
  takeoverId?: string;
}

const INTERVAL = { monthly: 'month', yearly: 'year' } as const;
const CYCLE_NAME = { once: 'einmalig', monthly: 'monatlich', yearly: 'jährlich' } as const;

/** The cycle every line of a subscription shares (Stripe bills one interval per subscription). */
export function subscriptionInterval(lines: CheckoutLine[]): 'month' | 'year' {
  const cycles = [...new Set(lines.map((l) => l.billingCycle))];
  const cycle = cycles[0];
  if (cycles.length !== 1 || cycle === undefined || cycle === 'once') {
    throw new NotAvailableError('A subscription bills every plugin in one monthly or yearly cycle.', [
      { path: 'paymentMethod', message: 'use "stripe_prepaid" for plugins paid once or in mixed cycles' },
    ]);
  }
  return INTERVAL[cycle];
}

export async function startCheckout(
  order: CheckoutOrder,
): Promise<{ customerId: string; sessionId: string; url: string }> {
  const client = await stripe();
  const customerId = await stripeCustomerOf(order);
  const common = {
    projectId: order.projectId,
    customerId,
    lineItems: order.lines.map((l) => ({
      name: `${order.projectName}: ${l.displayName} (${CYCLE_NAME[l.billingCycle]})`,
      unitAmountCents: l.priceCents,
    })),
    successUrl: `${checkoutConfig().WEB_APP_URL}/projects/${order.projectId}?checkout=success`,
    cancelUrl: `${checkoutConfig().WEB_APP_URL}/projects/${order.projectId}?checkout=cancelled`,
    metadata: {
      ownerEmail: order.ownerEmail,
      ...(order.takeoverId ? { purpose: 'takeover', takeoverId: order.takeoverId } : {}),
    },
    // One session per project (per takeover request), however often the request is retried.
    idempotencyKey: `checkout-${order.takeoverId ? `takeover-${order.takeoverId}` : order.projectId}`,
  };
  const session = await client.createCheckoutSession(
    order.paymentMethod === 'stripe_prepaid'
      ? { ...common, mode: 'payment' }
      : {
          ...common,
          mode: 'subscription',
          interval: subscriptionInterval(order.lines),
          ...(order.trialDays ? { trialPeriodDays: order.trialDays } : {}),
        },
  );
  if (!session.url) throw new Error(`Stripe returned Checkout Session ${session.id} without a URL.`);
  return { customerId, sessionId: session.id, url: session.url };
}

async function stripeCustomerOf(order: CheckoutOrder): Promise<string> {
  const profile = await getCustomer(order.ownerEmail);
  const scope = order.takeoverId ? `takeover-${order.takeoverId}` : order.projectId;
  if (profile?.stripeCustomerId) return profile.stripeCustomerId;
  const created = await (await stripe()).createCustomer({
    email: order.billingEmail,
    ...(profile?.name || profile?.company ? { name: (profile.company ?? profile.name)! } : {}),
    ...(profile?.address
      ? {
          address: {
            line1: profile.address.street,
            postalCode: profile.address.postalCode,
            city: profile.address.city,
            country: profile.address.countryCode,
          },
        }
      : {}),
    projectId: order.projectId,
    idempotencyKey: `customer-${scope}`,
  });
  return rememberStripeCustomer(order.ownerEmail, created.id);
}
