import type Stripe from 'stripe';

// Where a Stripe subscription's paid period ends. Since API version 2025-03-31 the period lives on
// each subscription item (all items of our subscriptions share one interval), no longer on the
// subscription itself.

export function periodEndOf(sub: Stripe.Subscription): string | null {
  const ends = sub.items.data.map((i) => i.current_period_end).filter((n) => typeof n === 'number');
  return ends.length ? new Date(Math.max(...ends) * 1000).toISOString() : null;
}

/** The trial's end, when the subscription is in one. */
export function trialEndOf(sub: Stripe.Subscription): string | null {
  return sub.status === 'trialing' && sub.trial_end ? new Date(sub.trial_end * 1000).toISOString() : null;
}

export const invoiceIdOf = (sub: Stripe.Subscription): string | null =>
  typeof sub.latest_invoice === 'string' ? sub.latest_invoice : (sub.latest_invoice?.id ?? null);
