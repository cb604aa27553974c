import { json, type SimResponse } from '../types.js';
import { noSuchObject } from './errors.js';
import type { Params } from './form.js';
import type {
  BillingReason,
  Interval,
  SimCheckoutSession,
  SimInvoice,
  SimLineItem,
  SimSubscription,
  SimSubscriptionItem,
} from './model.js';
import { expandParam } from './params.js';
import { DAY_SECONDS, periodEnd } from './periods.js';
import type { LocalRoute, RequestInfo, Route, SimContext } from './routes.js';
import { newId } from './store.js';

// Subscriptions and their invoices: started by a completed subscription-mode Checkout Session,
// renewed, failed and canceled through the local helpers (POST /local/subscriptions/{id}/pay|fail|
// cancel) or canceled through the API (DELETE /v1/subscriptions/{id}), each with the events Stripe
// sends. Invoices are never created through the API here; a subscription makes them.

const RETRY_AFTER_FAILURE_SECONDS = 3 * DAY_SECONDS;

export interface Billing {
  /** The subscription of a completed session; its first invoice paid unless `paid` is false. */
  start(
    session: SimCheckoutSession,
    customerId: string,
    paid: boolean,
  ): { subscription: SimSubscription; invoice: SimInvoice };
  /** Pays the subscription's open invoice (a delayed payment settling, or a retry succeeding). */
  payOpenInvoice(subscription: SimSubscription): SimInvoice;
  /** The latest invoice if it is still open. */
  openInvoice(subscription: SimSubscription): SimInvoice | undefined;
  /** A failed attempt at the open invoice. */
  failOpenInvoice(subscription: SimSubscription): SimInvoice;
  /** Moves the subscription into its next period (a trial into its first paid one) and bills it. */
  renew(subscription: SimSubscription, paid: boolean): SimInvoice;
}

export function createBilling(ctx: SimContext): Billing {
  const { store } = ctx;
  const state = store.state;

  const invoiceFor = (
    sub: SimSubscription,
    reason: BillingReason,
    period: { start: number; end: number },
    paid: boolean,
    trial: boolean,
    lookBack: { start: number; end: number },
  ): SimInvoice => {
    const now = store.now();
    const customer = state.customers[sub.customer];
    const id = newId('in');
    const lines = sub.items.data.map((item) => {
      const amount = trial ? 0 : item.price.unit_amount * item.quantity;
      const name = state.products[item.price.product]?.name ?? item.price.product;
      return {
        id: newId('il'),
        object: 'line_item' as const,
        amount,
        currency: sub.currency,
        description: trial
          ? `Trial period for ${name}`
          : `${item.quantity} × ${name} (at ${formatAmount(item.price.unit_amount, sub.currency)} / ${item.price.recurring?.interval ?? 'month'})`,
        discount_amounts: [] as [],
        discountable: true,
        discounts: [] as [],
        invoice: id,
        livemode: false as const,
        metadata: {},
        parent: {
          type: 'subscription_item_details' as const,
          invoice_item_details: null,
          subscription_item_details: {
            invoice_item: null,
            proration: false as const,
            proration_details: { credited_items: null },
            subscription: sub.id,
            subscription_item: item.id,
          },
        },
        period,
        pricing: {
          type: 'price_details' as const,
          price_details: { price: item.price.id, product: item.price.product },
          unit_amount_decimal: trial ? '0' : item.price.unit_amount_decimal,
        },
        quantity: item.quantity,
        subscription: sub.id,
        subtotal: amount,
        taxes: [] as [],
      };
    });
    const total = lines.reduce((sum, l) => sum + l.amount, 0);
    state.invoiceNumber += 1;
    const invoice: SimInvoice = {
      id,
      object: 'invoice',
      account_country: 'DE',
      account_name: 'VRS Marketplace (simulated)',
      amount_due: total,
      amount_overpaid: 0,
      amount_paid: paid ? total : 0,
      amount_remaining: paid ? 0 : total,
      amount_shipping: 0,
      attempt_count: 1,
      attempted: true,
      auto_advance: !paid,
      billing_reason: reason,
      collection_method: 'charge_automatically',
      created: now,
      currency: sub.currency,
      customer: sub.customer,
      customer_address: customer?.address ?? null,
      customer_email: customer?.email ?? null,
      customer_name: customer?.name ?? null,
      description: null,
      discounts: [],
      due_date: null,
      effective_at: now,
      ending_balance: 0,
      hosted_invoice_url: null,
      lines: {
        object: 'list',
        data: lines,
        has_more: false,
        total_count: lines.length,
        url: `/v1/invoices/${id}/lines`,
      },
      livemode: false,
      metadata: {},
      next_payment_attempt: null,
      number: `${customer?.invoice_prefix ?? 'SIM'}-${String(state.invoiceNumber).padStart(4, '0')}`,
      parent: {
        type: 'subscription_details',
        quote_details: null,
        subscription_details: { metadata: { ...sub.metadata }, subscription: sub.id },
      },
      period_end: lookBack.end,
      period_start: lookBack.start,
      starting_balance: 0,
      status: paid ? 'paid' : 'open',
      status_transitions: {
        finalized_at: now,
        marked_uncollectible_at: null,
        paid_at: paid ? now : null,
        voided_at: null,
      },
      subtotal: total,
      subtotal_excluding_tax: total,
      total,
      total_excluding_tax: total,
      webhooks_delivered_at: now,
    };
    state.invoices[id] = invoice;
    sub.latest_invoice = id;
    return invoice;
  };

  const markPaid = (invoice: SimInvoice) => {
    invoice.status = 'paid';
    invoice.amount_paid = invoice.amount_due;
    invoice.amount_remaining = 0;
    invoice.next_payment_attempt = null;
    invoice.auto_advance = false;
    invoice.status_transitions.paid_at = store.now();
  };

  return {
    start(session, customerId, paid) {
      const now = store.now();
      const extras = state.sessionExtras[session.id];
      const trialDays = extras?.trialPeriodDays ?? null;
      const items = session.line_items?.data ?? [];
      const interval = items[0]?.price.recurring?.interval ?? 'month';
      const trialEnd = trialDays ? now + trialDays * DAY_SECONDS : null;
      const anchor = trialEnd ?? now;
      const period = { start: now, end: trialEnd ?? periodEnd(now, interval, anchor) };
      const id = newId('sub');
      const sub: SimSubscription = {
        id,
        object: 'subscription',
        billing_cycle_anchor: anchor,
        cancel_at: null,
        cancel_at_period_end: false,
        canceled_at: null,
        cancellation_details: { comment: null, feedback: null, reason: null },
        collection_method: 'charge_automatically',
        created: now,
        currency: session.currency,
        customer: customerId,
        default_payment_method: newId('pm'),
        description: null,
        discounts: [],
        ended_at: null,
        items: {
          object: 'list',
          data: items.map((li) => subscriptionItem(li, id, now, period)),
          has_more: false,
          total_count: items.length,
          url: `/v1/subscription_items?subscription=${id}`,
        },
        latest_invoice: null,
        livemode: false,
        metadata: { ...(extras?.subscriptionMetadata ?? {}) },
        start_date: now,
        status: trialEnd ? 'trialing' : paid ? 'active' : 'incomplete',
        test_clock: null,
        trial_end: trialEnd,
        trial_start: trialEnd ? now : null,
      };
      state.subscriptions[id] = sub;
      // A trial's first invoice is for 0 and paid at once, whatever the payment method.
      // An invoice's own period looks back one period (Stripe): at creation that is just "now".
      const invoice = invoiceFor(
        sub,
        'subscription_create',
        period,
        paid || trialEnd !== null,
        trialEnd !== null,
        {
          start: now,
          end: now,
        },
      );
      return { subscription: sub, invoice };
    },
    openInvoice(sub) {
      const latest = sub.latest_invoice ? state.invoices[sub.latest_invoice] : undefined;
      return latest?.status === 'open' ? latest : undefined;
    },
    payOpenInvoice(sub) {
      const invoice = this.openInvoice(sub);
      if (!invoice) throw new Error(`${sub.id} has no open invoice`);
      markPaid(invoice);
      return invoice;
    },
    failOpenInvoice(sub) {
      const invoice = this.openInvoice(sub);
      if (!invoice) throw new Error(`${sub.id} has no open invoice`);
      invoice.attempt_count += 1;
      invoice.next_payment_attempt = store.now() + RETRY_AFTER_FAILURE_SECONDS;
      return invoice;
    },
    renew(sub, paid) {
      const item = sub.items.data[0];
      const previous = {
        start: item?.current_period_start ?? sub.start_date,
        end: item?.current_period_end ?? store.now(),
      };
      const interval: Interval = item?.price.recurring?.interval ?? 'month';
      const next = { start: previous.end, end: periodEnd(previous.end, interval, sub.billing_cycle_anchor) };
      for (const i of sub.items.data) {
        i.current_period_start = next.start;
        i.current_period_end = next.end;
      }
      const invoice = invoiceFor(sub, 'subscription_cycle', next, paid, false, previous);
      if (!paid) invoice.next_payment_attempt = store.now() + RETRY_AFTER_FAILURE_SECONDS;
      return invoice;
    },
  };
}

/** Routes for subscriptions and invoices (API), and the local pay/fail/cancel helpers. */
export function billingRoutes(ctx: SimContext, billing: Billing): { api: Route[]; local: LocalRoute[] } {
  const { store } = ctx;
  const state = store.state;
  const subscription = (id: string) => {
    const sub = state.subscriptions[id];
    if (!sub) throw noSuchObject('subscription', id);
    return sub;
  };

  const render = (sub: SimSubscription, params: Params) => {
    const expand = expandParam(params, ['latest_invoice', 'customer']);
    return {
      ...sub,
      ...(expand.has('latest_invoice') &&
        sub.latest_invoice && { latest_invoice: state.invoices[sub.latest_invoice] }),
      ...(expand.has('customer') && { customer: state.customers[sub.customer] ?? sub.customer }),
    };
  };

  const cancel = (sub: SimSubscription, request?: RequestInfo) => {
    const now = store.now();
    sub.status = 'canceled';
    sub.canceled_at = now;
    sub.ended_at = now;
    sub.cancellation_details = { ...sub.cancellation_details, reason: 'cancellation_requested' };
    const event = ctx.emit('customer.subscription.deleted', sub, request ? { request } : {});
    store.save();
    return event;
  };

  const changed = (sub: SimSubscription, before: { status: string; latest_invoice: string | null }) => {
    const previous: Record<string, unknown> = {};
    if (sub.status !== before.status) previous.status = before.status;
    if (sub.latest_invoice !== before.latest_invoice) previous.latest_invoice = before.latest_invoice;
    return Object.keys(previous).length ? previous : undefined;
  };

  /** `pay` / `fail`: settles the open invoice, or bills the next period. */
  const charge = (sub: SimSubscription, paid: boolean): SimResponse => {
    if (sub.status === 'canceled' || sub.status === 'incomplete_expired')
      return conflict(`Subscription ${sub.id} is ${sub.status}.`);
    const before = { status: sub.status, latest_invoice: sub.latest_invoice };
    const open = billing.openInvoice(sub);
    let invoice: SimInvoice;
    if (open) invoice = paid ? billing.payOpenInvoice(sub) : billing.failOpenInvoice(sub);
    else invoice = billing.renew(sub, paid);
    if (paid) sub.status = 'active';
    else if (sub.status !== 'incomplete') sub.status = 'past_due';
    const events = [ctx.emit(paid ? 'invoice.paid' : 'invoice.payment_failed', invoice)];
    const previous = changed(sub, before);
    if (previous) events.push(ctx.emit('customer.subscription.updated', sub, { previous }));
    store.save();
    return json(200, { subscription: sub, invoice, events: events.map((e) => e.id) });
  };

  return {
    api: [
      ['GET', '/v1/subscriptions/{id}', (p, params) => json(200, render(subscription(p.id!), params))],
      [
        'DELETE',
        '/v1/subscriptions/{id}',
        (p, _params, request) => {
          const sub = subscription(p.id!);
          // Stripe: a canceled subscription is gone for a second cancel.
          if (sub.status === 'canceled') throw noSuchObject('subscription', sub.id);
          cancel(sub, request);
          return json(200, sub);
        },
      ],
      [
        'GET',
        '/v1/invoices/{id}',
        (p, params) => {
          const invoice = state.invoices[p.id!];
          if (!invoice) throw noSuchObject('invoice', p.id!);
          const expand = expandParam(params, ['customer']);
          return json(200, {
            ...invoice,
            ...(expand.has('customer') && {
              customer: state.customers[invoice.customer] ?? invoice.customer,
            }),
          });
        },
      ],
    ],
    local: [
      ['POST', '/local/subscriptions/{id}/pay', (p) => charge(subscription(p.id!), true)],
      ['POST', '/local/subscriptions/{id}/fail', (p) => charge(subscription(p.id!), false)],
      [
        'POST',
        '/local/subscriptions/{id}/cancel',
        (p) => {
          const sub = subscription(p.id!);
          if (sub.status === 'canceled') return conflict(`Subscription ${sub.id} is canceled already.`);
          const event = cancel(sub);
          return json(200, { subscription: sub, events: [event.id] });
        },
      ],
    ],
  };
}

function subscriptionItem(
  li: SimLineItem,
  subscriptionId: string,
  now: number,
  period: { start: number; end: number },
): SimSubscriptionItem {
  const price = li.price;
  return {
    id: newId('si', 14),
    object: 'subscription_item',
    created: now,
    current_period_end: period.end,
    current_period_start: period.start,
    discounts: [],
    metadata: {},
    plan: {
      id: price.id,
      object: 'plan',
      active: price.active,
      amount: price.unit_amount,
      currency: price.currency,
      interval: price.recurring?.interval ?? 'month',
      interval_count: price.recurring?.interval_count ?? 1,
      product: price.product,
      usage_type: 'licensed',
    },
    price,
    quantity: li.quantity,
    subscription: subscriptionId,
    tax_rates: [],
  };
}

function conflict(message: string): SimResponse {
  return json(409, { error: { type: 'invalid_request_error', message } });
}

export function formatAmount(cents: number, currency: string): string {
  return `${currency === 'eur' ? '€' : `${currency.toUpperCase()} `}${(cents / 100).toFixed(2)}`;
}
