import type { FaultRegistry } from '../faults.js';
import type { Simulator } from '../types.js';

// What the Stripe simulator keeps, in Stripe's own field names (API version STRIPE_API_VERSION),
// and how it is configured. Objects carry the fields our client and webhook handlers read and the
// ones around them; not every field of the real API.

export type Metadata = Record<string, string>;
export type Interval = 'month' | 'year';

export interface SimAddress {
  city: string | null;
  country: string | null;
  line1: string | null;
  line2: string | null;
  postal_code: string | null;
  state: string | null;
}

export interface SimCustomer {
  id: string;
  object: 'customer';
  address: SimAddress | null;
  balance: number;
  created: number;
  currency: string | null;
  default_source: null;
  delinquent: boolean;
  description: string | null;
  email: string | null;
  invoice_prefix: string;
  livemode: false;
  metadata: Metadata;
  name: string | null;
  phone: string | null;
  preferred_locales: string[];
  shipping: null;
  tax_exempt: 'none';
  test_clock: null;
}

export interface SimPrice {
  id: string;
  object: 'price';
  active: boolean;
  billing_scheme: 'per_unit';
  created: number;
  currency: string;
  custom_unit_amount: null;
  livemode: false;
  lookup_key: null;
  metadata: Metadata;
  nickname: null;
  product: string;
  recurring: {
    interval: Interval;
    interval_count: number;
    meter: null;
    trial_period_days: null;
    usage_type: 'licensed';
  } | null;
  tax_behavior: 'unspecified';
  tiers_mode: null;
  transform_quantity: null;
  type: 'one_time' | 'recurring';
  unit_amount: number;
  unit_amount_decimal: string;
}

/** A Checkout Session's line item (`item`), as `expand[]=line_items` shows it. */
export interface SimLineItem {
  id: string;
  object: 'item';
  amount_discount: number;
  amount_subtotal: number;
  amount_tax: number;
  amount_total: number;
  currency: string;
  description: string;
  price: SimPrice;
  quantity: number;
}

export interface SimList<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  total_count?: number;
  url: string;
}

export interface SimCheckoutSession {
  id: string;
  object: 'checkout.session';
  amount_subtotal: number;
  amount_total: number;
  cancel_url: string | null;
  client_reference_id: string | null;
  created: number;
  currency: string;
  customer: string | null;
  customer_details: {
    address: SimAddress | null;
    email: string | null;
    name: string | null;
    phone: null;
    tax_exempt: 'none';
    tax_ids: [];
  } | null;
  customer_email: string | null;
  expires_at: number;
  invoice: null;
  livemode: false;
  locale: string | null;
  metadata: Metadata;
  mode: 'payment' | 'subscription';
  payment_intent: string | null;
  payment_method_types: string[];
  payment_status: 'paid' | 'unpaid' | 'no_payment_required';
  status: 'open' | 'complete' | 'expired';
  subscription: string | null;
  success_url: string | null;
  ui_mode: 'hosted';
  url: string | null;
  /** Always kept; shown only with `expand[]=line_items`, as at Stripe. */
  line_items?: SimList<SimLineItem>;
}

/** What a session was created with beyond its own fields: what its subscription gets. */
export interface SimSessionExtras {
  subscriptionMetadata: Metadata;
  trialPeriodDays: number | null;
  /** Set once the customer chose a payment method that settles later (SEPA …). */
  delayed: boolean;
}

export interface SimSubscriptionItem {
  id: string;
  object: 'subscription_item';
  created: number;
  current_period_end: number;
  current_period_start: number;
  discounts: string[];
  metadata: Metadata;
  plan: {
    id: string;
    object: 'plan';
    active: boolean;
    amount: number;
    currency: string;
    interval: Interval;
    interval_count: number;
    product: string;
    usage_type: 'licensed';
  };
  price: SimPrice;
  quantity: number;
  subscription: string;
  tax_rates: [];
}

export type SubscriptionStatus =
  | 'incomplete'
  | 'incomplete_expired'
  | 'trialing'
  | 'active'
  | 'past_due'
  | 'canceled'
  | 'unpaid'
  | 'paused';

export interface SimSubscription {
  id: string;
  object: 'subscription';
  billing_cycle_anchor: number;
  cancel_at: number | null;
  cancel_at_period_end: boolean;
  canceled_at: number | null;
  cancellation_details: { comment: string | null; feedback: string | null; reason: string | null };
  collection_method: 'charge_automatically';
  created: number;
  currency: string;
  customer: string;
  default_payment_method: string | null;
  description: string | null;
  discounts: string[];
  ended_at: number | null;
  items: SimList<SimSubscriptionItem>;
  latest_invoice: string | null;
  livemode: false;
  metadata: Metadata;
  start_date: number;
  status: SubscriptionStatus;
  test_clock: null;
  trial_end: number | null;
  trial_start: number | null;
}

export interface SimInvoiceLine {
  id: string;
  object: 'line_item';
  amount: number;
  currency: string;
  description: string;
  discount_amounts: [];
  discountable: boolean;
  discounts: [];
  invoice: string;
  livemode: false;
  metadata: Metadata;
  parent: {
    type: 'subscription_item_details';
    invoice_item_details: null;
    subscription_item_details: {
      invoice_item: null;
      proration: false;
      proration_details: { credited_items: null };
      subscription: string;
      subscription_item: string;
    };
  };
  /** The service period this line pays for: where a renewal extends licenses to. */
  period: { end: number; start: number };
  pricing: {
    type: 'price_details';
    price_details: { price: string; product: string };
    unit_amount_decimal: string;
  };
  quantity: number;
  subscription: string;
  subtotal: number;
  taxes: [];
}

export type BillingReason = 'subscription_create' | 'subscription_cycle';

export interface SimInvoice {
  id: string;
  object: 'invoice';
  account_country: string;
  account_name: string;
  amount_due: number;
  amount_overpaid: number;
  amount_paid: number;
  amount_remaining: number;
  amount_shipping: number;
  attempt_count: number;
  attempted: boolean;
  auto_advance: boolean;
  billing_reason: BillingReason;
  collection_method: 'charge_automatically';
  created: number;
  currency: string;
  customer: string;
  customer_address: SimAddress | null;
  customer_email: string | null;
  customer_name: string | null;
  description: null;
  discounts: [];
  due_date: null;
  effective_at: number;
  ending_balance: number;
  hosted_invoice_url: string | null;
  lines: SimList<SimInvoiceLine>;
  livemode: false;
  metadata: Metadata;
  next_payment_attempt: number | null;
  number: string;
  /** Since API version 2025-03-31 the subscription is here, not in a top-level `subscription`. */
  parent: {
    type: 'subscription_details';
    quote_details: null;
    subscription_details: { metadata: Metadata; subscription: string };
  };
  /** Looks back one period, as at Stripe: the paid service period is each line's `period`. */
  period_end: number;
  period_start: number;
  starting_balance: number;
  status: 'draft' | 'open' | 'paid' | 'uncollectible' | 'void';
  status_transitions: {
    finalized_at: number | null;
    marked_uncollectible_at: null;
    paid_at: number | null;
    voided_at: null;
  };
  subtotal: number;
  subtotal_excluding_tax: number;
  total: number;
  total_excluding_tax: number;
  webhooks_delivered_at: number | null;
}

export type SimObject = SimCustomer | SimCheckoutSession | SimSubscription | SimInvoice;

export interface SimEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: SimObject; previous_attributes?: Record<string, unknown> };
  livemode: false;
  /** Endpoints that have not acknowledged it yet: 1 while its delivery is pending, then 0. */
  pending_webhooks: number;
  /** The API request that caused it; `id: null` for what the customer or Stripe itself did. */
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export interface SimDeliveryAttempt {
  at: string;
  /** The endpoint's HTTP status, absent when the connection failed. */
  status?: number;
  error?: string;
}

export interface SimDelivery {
  eventId: string;
  type: string;
  url: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: SimDeliveryAttempt[];
}

export interface StripeSimulatorOptions {
  faults: FaultRegistry;
  /** JSON file the state is loaded from and saved to after each change. */
  persistPath?: string;
  /**
   * Where Checkout Session `url`s and the helpers live: the simulator's mount on the main server,
   * e.g. `http://127.0.0.1:3000/sim/stripe`. Read when a session is created.
   */
  publicUrl: () => string;
  /** Our webhook endpoint (`<API>/v1/webhooks/stripe`); undefined: events are only listed, not sent. */
  webhookUrl?: () => string | undefined;
  /** Signs deliveries. Default `whsec_local_test`. */
  webhookSecret?: string;
  /** Waits before each redelivery after a non-2xx answer or a connection error; then it gives up. Default 0.5 s, 2 s, 5 s. */
  webhookRetryDelaysMs?: number[];
  /** How long one delivery waits for the endpoint's answer. Default 30 s. */
  webhookTimeoutMs?: number;
  log?: (message: string) => void;
}

export type StripeSimulator = Simulator & {
  customers(): SimCustomer[];
  checkoutSessions(): SimCheckoutSession[];
  subscriptions(): SimSubscription[];
  invoices(): SimInvoice[];
  /** Oldest first. */
  events(): SimEvent[];
  /** Every webhook delivery with its attempts, oldest first. */
  deliveries(): SimDelivery[];
  /** Sends the deliveries a stop interrupted (at least once); call once the endpoint can answer. */
  resumeDeliveries(): void;
  /** Resolves once no delivery is pending (or after `timeoutMs`, default 10 s). */
  deliveriesSettled(timeoutMs?: number): Promise<void>;
  /** Stops redeliveries and aborts deliveries in flight (pending ones resume after a restart). */
  close(): void;
};
