import type Stripe from 'stripe';

// The Stripe API version every request and every webhook payload we read is in: the one stripe@23
// ships with (Stripe.API_VERSION). Pinned here, not taken from the account's default, so a change
// in the dashboard cannot change the shapes our code reads; typed as the SDK's version, so
// upgrading the SDK fails to compile until this line is changed on purpose.
// The local Stripe simulator answers and signs events in this version too.

export const STRIPE_API_VERSION: Stripe.LatestApiVersion = '2026-10-28.endive';
