import { json, type SimResponse } from '../types.js';
import type { Billing } from './billing.js';
import { formatAmount } from './billing.js';
import { invalidParam, missingParam, noSuchObject, noSuchParam } from './errors.js';
import { isForm, type Params } from './form.js';
import type { Interval, SimCheckoutSession, SimLineItem, SimPrice } from './model.js';
import {
  expandParam,
  metadataParam,
  optArray,
  optInt,
  optObject,
  optString,
  optStringArray,
  reqString,
} from './params.js';
import type { LocalRoute, RequestInfo, Route, SimContext } from './routes.js';
import { newCheckoutSessionId, newId } from './store.js';

// Checkout Sessions: created and read through the API (modes `payment` and `subscription`, line
// items with `price_data`), and "paid" on the simulator's own Checkout page: `url` points to
// <mount>/checkout/{id}; POST …/complete pays it (or leaves a delayed payment `unpaid` until
// …/async-succeed or …/async-fail), with the events Stripe sends. A session expires at `expires_at`
// (seen when it is next read), through the API (POST …/expire), or at once through the local helper
// POST /local/checkout/sessions/{id}/expire. Parameters the simulator does not know are accepted
// and ignored.

const SESSION_LIFETIME_SECONDS = 24 * 3600;
const EXPANDABLE = ['line_items', 'customer', 'subscription'] as const;

export function checkoutRoutes(ctx: SimContext, billing: Billing): { api: Route[]; local: LocalRoute[] } {
  const { store } = ctx;
  const state = store.state;

  const session = (id: string) => {
    const s = state.sessions[id];
    if (!s) throw noSuchObject('checkout.session', id);
    expireIfDue(s);
    return s;
  };

  /** Stripe expires open sessions at `expires_at` (and says so with an event). */
  const expireIfDue = (s: SimCheckoutSession) => {
    if (s.status !== 'open' || store.now() < s.expires_at) return;
    expire(s);
  };

  const expire = (s: SimCheckoutSession, request?: RequestInfo) => {
    s.status = 'expired';
    s.url = null;
    const event = ctx.emit('checkout.session.expired', plain(s), request ? { request } : {});
    store.save();
    return event;
  };

  /** POST /v1/checkout/sessions/{id}/expire (Stripe: only an open session can be expired). */
  const expireNow = (s: SimCheckoutSession, request?: RequestInfo): SimResponse => {
    if (s.status !== 'open')
      return json(400, {
        error: {
          type: 'invalid_request_error',
          message: `Only Checkout Sessions with a status in [open] can be expired. This Checkout Session has a status of ${s.status}.`,
        },
      });
    const event = expire(s, request);
    return json(200, { ...render(s, new Set()), ...(request ? {} : { events: [event.id] }) });
  };

  /** As events carry it: no `line_items`, nothing expanded. */
  const plain = (s: SimCheckoutSession): SimCheckoutSession => {
    const { line_items: _, ...rest } = s;
    return rest;
  };

  /** The session as the API shows it: `line_items` only when expanded. */
  const render = (s: SimCheckoutSession, expand: Set<string>) => {
    const { line_items, ...rest } = s;
    return {
      ...rest,
      ...(expand.has('line_items') && { line_items }),
      ...(expand.has('customer') && s.customer && { customer: state.customers[s.customer] ?? s.customer }),
      ...(expand.has('subscription') &&
        s.subscription && { subscription: state.subscriptions[s.subscription] ?? s.subscription }),
    };
  };

  const create = (params: Params): SimCheckoutSession => {
    const mode = reqString(params, 'mode');
    if (mode !== 'payment' && mode !== 'subscription') {
      throw invalidParam(
        'mode',
        `The simulator supports mode payment and subscription, not ${mode}.`,
        'parameter_invalid_string',
      );
    }
    const customerId = optString(params, 'customer') || undefined;
    const customerEmail = optString(params, 'customer_email') || undefined;
    if (customerId && customerEmail)
      throw invalidParam(
        'customer_email',
        'You may only specify one of these parameters: customer, customer_email.',
      );
    if (customerId && !state.customers[customerId]) throw noSuchParam('customer', customerId, 'customer');

    const lineItems = lineItemsParam(params, store.now(), (name) => {
      const id = newId('prod', 14);
      state.products[id] = { id, name };
      return id;
    });
    const recurring = lineItems.filter((li) => li.price.recurring);
    if (mode === 'payment' && recurring.length > 0)
      throw invalidParam(
        'line_items',
        'You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.',
      );
    if (mode === 'subscription') {
      if (recurring.length === 0)
        throw invalidParam(
          'line_items',
          'You must provide at least one recurring price in `subscription` mode when using prices.',
        );
      if (recurring.length < lineItems.length)
        throw invalidParam(
          'line_items',
          'The simulator does not support one-time prices in `subscription` mode.',
        );
      const intervals = new Set(recurring.map((li) => li.price.recurring!.interval));
      if (intervals.size > 1)
        throw invalidParam(
          'line_items',
          'Checkout does not support multiple prices with different billing intervals.',
        );
    }
    const currencies = new Set(lineItems.map((li) => li.currency));
    if (currencies.size > 1) throw invalidParam('line_items', 'All line items must use the same currency.');

    const subscriptionData = optObject(params, 'subscription_data');
    if (subscriptionData && mode !== 'subscription')
      throw invalidParam(
        'subscription_data',
        'You can only pass `subscription_data` in `subscription` mode.',
      );
    if (optObject(params, 'payment_intent_data') && mode !== 'payment')
      throw invalidParam('payment_intent_data', 'You can only pass `payment_intent_data` in `payment` mode.');
    const trialDays = subscriptionData
      ? optInt(subscriptionData, 'trial_period_days', 'subscription_data[trial_period_days]', 1, 730)
      : undefined;
    const clientReferenceId = optString(params, 'client_reference_id') || null;
    if (clientReferenceId && clientReferenceId.length > 200)
      throw invalidParam('client_reference_id', 'client_reference_id must be at most 200 characters.');
    const successUrl = urlParam(params, 'success_url');
    const cancelUrl = urlParam(params, 'cancel_url');
    const now = store.now();
    const expiresAt = optInt(params, 'expires_at', 'expires_at', now + 1800, now + SESSION_LIFETIME_SECONDS);

    const id = newCheckoutSessionId();
    const subtotal = lineItems.reduce((sum, li) => sum + li.amount_subtotal, 0);
    const s: SimCheckoutSession = {
      id,
      object: 'checkout.session',
      amount_subtotal: subtotal,
      // A trial is free today: nothing is charged at checkout.
      amount_total: trialDays ? 0 : subtotal,
      cancel_url: cancelUrl,
      client_reference_id: clientReferenceId,
      created: now,
      currency: lineItems[0]!.currency,
      customer: customerId ?? null,
      customer_details: null,
      customer_email: customerEmail ?? null,
      expires_at: expiresAt ?? now + SESSION_LIFETIME_SECONDS,
      invoice: null,
      livemode: false,
      locale: optString(params, 'locale') || null,
      metadata: metadataParam(params),
      mode,
      payment_intent: null,
      payment_method_types: optStringArray(params, 'payment_method_types') ?? ['card'],
      payment_status: 'unpaid',
      status: 'open',
      subscription: null,
      success_url: successUrl,
      ui_mode: 'hosted',
      url: `${ctx.publicUrl()}/checkout/${id}`,
      line_items: {
        object: 'list',
        data: lineItems,
        has_more: false,
        url: `/v1/checkout/sessions/${id}/line_items`,
      },
    };
    state.sessions[id] = s;
    state.sessionExtras[id] = {
      subscriptionMetadata: subscriptionData
        ? metadataParam(subscriptionData, 'metadata', 'subscription_data[metadata]')
        : {},
      trialPeriodDays: trialDays ?? null,
      delayed: false,
    };
    store.save();
    return s;
  };

  /** The customer "pays" on the Checkout page. */
  const complete = (s: SimCheckoutSession, paymentStatus: 'paid' | 'unpaid'): SimResponse => {
    if (s.status !== 'open') return conflict(`This Checkout Session is no longer open (status ${s.status}).`);
    let customerId = s.customer;
    // Subscriptions always get a customer; Checkout creates one from the e-mail when none was given.
    if (!customerId && s.mode === 'subscription') customerId = newCustomer(ctx, s.customer_email);
    const customer = customerId ? state.customers[customerId] : undefined;
    const extras = state.sessionExtras[s.id];
    const trial = (extras?.trialPeriodDays ?? null) !== null;
    s.status = 'complete';
    s.url = null;
    s.customer = customerId;
    s.customer_details = {
      address: customer?.address ?? null,
      email: customer?.email ?? s.customer_email,
      name: customer?.name ?? null,
      phone: null,
      tax_exempt: 'none',
      tax_ids: [],
    };
    // Nothing is due today in a trial: Stripe says so instead of `paid`.
    s.payment_status = trial ? 'no_payment_required' : paymentStatus;
    if (extras) extras.delayed = !trial && paymentStatus === 'unpaid';

    const events: string[] = [];
    if (s.mode === 'payment') s.payment_intent = newId('pi');
    else {
      const { subscription, invoice } = billing.start(s, customerId!, paymentStatus === 'paid');
      s.subscription = subscription.id;
      events.push(ctx.emit('customer.subscription.created', subscription).id);
      if (invoice.status === 'paid') events.push(ctx.emit('invoice.paid', invoice).id);
    }
    events.push(ctx.emit('checkout.session.completed', plain(s)).id);
    store.save();
    return json(200, { session: render(s, new Set()), redirectUrl: redirectUrl(s), events });
  };

  /** A delayed payment method (SEPA …) settles, or fails, after the session completed. */
  const settle = (s: SimCheckoutSession, succeeded: boolean): SimResponse => {
    const extras = state.sessionExtras[s.id];
    if (s.status !== 'complete' || !extras?.delayed || s.payment_status !== 'unpaid')
      return conflict('Only a completed session with a delayed payment still unpaid can settle.');
    extras.delayed = false;
    const events: string[] = [];
    const sub = s.subscription ? state.subscriptions[s.subscription] : undefined;
    if (succeeded) {
      s.payment_status = 'paid';
      if (sub && billing.openInvoice(sub)) {
        const invoice = billing.payOpenInvoice(sub);
        const previous = { status: sub.status };
        sub.status = 'active';
        events.push(ctx.emit('invoice.paid', invoice).id);
        events.push(ctx.emit('customer.subscription.updated', sub, { previous }).id);
      }
    } else if (sub && billing.openInvoice(sub)) {
      events.push(ctx.emit('invoice.payment_failed', billing.failOpenInvoice(sub)).id);
    }
    const type = succeeded
      ? 'checkout.session.async_payment_succeeded'
      : 'checkout.session.async_payment_failed';
    events.push(ctx.emit(type, plain(s)).id);
    store.save();
    return json(200, { session: render(s, new Set()), events });
  };

  return {
    api: [
      [
        'POST',
        '/v1/checkout/sessions',
        (_p, params) => {
          const expand = expandParam(params, EXPANDABLE);
          return json(200, render(create(params), expand));
        },
      ],
      [
        'GET',
        '/v1/checkout/sessions/{id}',
        (p, params) => json(200, render(session(p.id!), expandParam(params, EXPANDABLE))),
      ],
      ['POST', '/v1/checkout/sessions/{id}/expire', (p, _params, req) => expireNow(session(p.id!), req)],
      [
        'GET',
        '/v1/checkout/sessions/{id}/line_items',
        (p) => json(200, session(p.id!).line_items ?? { object: 'list', data: [], has_more: false }),
      ],
    ],
    local: [
      ['GET', '/checkout/{id}', (p) => page(session(p.id!))],
      [
        'POST',
        '/checkout/{id}/complete',
        (p, body, req) => {
          const status = body.paymentStatus ?? 'paid';
          // A form post comes from the page (a browser): it is sent on to the success URL.
          if (status !== 'paid' && status !== 'unpaid')
            return json(400, {
              error: { type: 'invalid_request_error', message: 'paymentStatus is "paid" or "unpaid".' },
            });
          const res = complete(session(p.id!), status);
          return isForm(req) && res.status === 200 ? redirect(session(p.id!)) : res;
        },
      ],
      ['POST', '/checkout/{id}/async-succeed', (p) => settle(session(p.id!), true)],
      ['POST', '/checkout/{id}/async-fail', (p) => settle(session(p.id!), false)],
      // As if the session's `expires_at` had passed: it expires now, with Stripe's event.
      ['POST', '/local/checkout/sessions/{id}/expire', (p) => expireNow(session(p.id!))],
    ],
  };
}

function lineItemsParam(params: Params, now: number, newProduct: (name: string) => string): SimLineItem[] {
  const items = optArray(params, 'line_items');
  if (!items?.length) throw missingParam('line_items');
  return items.map((raw, i) => {
    const name = `line_items[${i}]`;
    if (typeof raw !== 'object' || Array.isArray(raw))
      throw invalidParam(name, 'Invalid object', 'parameter_invalid_object');
    const priceId = optString(raw, 'price', `${name}[price]`);
    if (priceId) throw noSuchParam('price', priceId, `${name}[price]`);
    const data = optObject(raw, 'price_data', `${name}[price_data]`);
    if (!data) throw missingParam(`${name}[price_data]`);
    const quantity = optInt(raw, 'quantity', `${name}[quantity]`, 1);
    if (quantity === undefined) throw missingParam(`${name}[quantity]`);
    const currency = reqString(data, 'currency', `${name}[price_data][currency]`).toLowerCase();
    const unitAmount = optInt(data, 'unit_amount', `${name}[price_data][unit_amount]`, 0, 99_999_999);
    if (unitAmount === undefined) throw missingParam(`${name}[price_data][unit_amount]`);
    const productId = optString(data, 'product', `${name}[price_data][product]`);
    if (productId) throw noSuchParam('product', productId, `${name}[price_data][product]`);
    const product = optObject(data, 'product_data', `${name}[price_data][product_data]`);
    if (!product) throw missingParam(`${name}[price_data][product_data]`);
    const productName = reqString(product, 'name', `${name}[price_data][product_data][name]`);
    const recurringParam = optObject(data, 'recurring', `${name}[price_data][recurring]`);
    let interval: Interval | undefined;
    if (recurringParam) {
      const value = reqString(recurringParam, 'interval', `${name}[price_data][recurring][interval]`);
      if (value !== 'month' && value !== 'year')
        throw invalidParam(
          `${name}[price_data][recurring][interval]`,
          `The simulator bills monthly or yearly, not per ${value}.`,
        );
      interval = value;
      // Every `interval_count` but 1 is refused: we bill monthly or yearly.
      optInt(recurringParam, 'interval_count', `${name}[price_data][recurring][interval_count]`, 1, 1);
    }
    const price: SimPrice = {
      id: newId('price'),
      object: 'price',
      // Prices made from price_data are single-use: inactive, never listed.
      active: false,
      billing_scheme: 'per_unit',
      created: now,
      currency,
      custom_unit_amount: null,
      livemode: false,
      lookup_key: null,
      metadata: {},
      nickname: null,
      product: newProduct(productName),
      recurring: interval
        ? { interval, interval_count: 1, meter: null, trial_period_days: null, usage_type: 'licensed' }
        : null,
      tax_behavior: 'unspecified',
      tiers_mode: null,
      transform_quantity: null,
      type: interval ? 'recurring' : 'one_time',
      unit_amount: unitAmount,
      unit_amount_decimal: String(unitAmount),
    };
    const amount = unitAmount * quantity;
    return {
      id: newId('li'),
      object: 'item',
      amount_discount: 0,
      amount_subtotal: amount,
      amount_tax: 0,
      amount_total: amount,
      currency,
      description: productName,
      price,
      quantity,
    };
  });
}

function urlParam(params: Params, key: string): string | null {
  const v = optString(params, key);
  if (!v) return null;
  if (!URL.canParse(v)) throw invalidParam(key, 'Not a valid URL', 'url_invalid');
  return v;
}

function newCustomer(ctx: SimContext, email: string | null): string {
  const id = newId('cus', 14);
  ctx.store.state.customers[id] = {
    id,
    object: 'customer',
    address: null,
    balance: 0,
    created: ctx.store.now(),
    currency: null,
    default_source: null,
    delinquent: false,
    description: null,
    email,
    invoice_prefix: newId('x', 8).slice(2).toUpperCase(),
    livemode: false,
    metadata: {},
    name: null,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
  return id;
}

/** Stripe fills `{CHECKOUT_SESSION_ID}` into the success URL. */
function redirectUrl(s: SimCheckoutSession): string | null {
  return s.success_url?.replaceAll('{CHECKOUT_SESSION_ID}', s.id) ?? null;
}

function redirect(s: SimCheckoutSession): SimResponse {
  const to = redirectUrl(s);
  return to ? { status: 303, headers: { location: to } } : json(200, { session: s.id, status: s.status });
}

function conflict(message: string): SimResponse {
  return json(409, { error: { type: 'invalid_request_error', message } });
}

/** A bare Checkout page for trying it out in a browser: the items, and buttons that pay. */
function page(s: SimCheckoutSession): SimResponse {
  const esc = (t: string) => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const items = (s.line_items?.data ?? [])
    .map(
      (li) =>
        `<li>${li.quantity} × ${esc(li.description)}: ${formatAmount(li.amount_total, li.currency)}${
          li.price.recurring ? ` / ${li.price.recurring.interval}` : ''
        }</li>`,
    )
    .join('');
  const action = (path: string, label: string, status?: string) =>
    `<form method="post" action="${esc(s.id)}/${path}">${
      status ? `<input type="hidden" name="paymentStatus" value="${status}">` : ''
    }<button>${label}</button></form>`;
  const body =
    s.status === 'open'
      ? `${action('complete', 'Pay')}${action('complete', 'Pay with a delayed method (stays unpaid)', 'unpaid')}${
          s.cancel_url ? `<p><a href="${esc(s.cancel_url)}">Cancel</a></p>` : ''
        }`
      : `<p>This session is ${esc(s.status)} (payment ${esc(s.payment_status)}).</p>`;
  const html = `<!doctype html><meta charset="utf-8"><title>Checkout (simulated)</title>
<h1>Checkout (Stripe simulator)</h1><p>${esc(s.mode)} · ${formatAmount(s.amount_total, s.currency)}</p><ul>${items}</ul>${body}`;
  return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: html };
}
