import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type CheckoutSessionInput,
  InvalidWebhookSignatureError,
  StripeApiError,
} from '../../../../shared/integrations/stripe/stripe-client.js';
import { type StripeFixture, startStripeFixture } from '../../../support/stripe-fixture.js';

// Our Stripe client, through the real SDK, against the Stripe simulator on its loopback port:
// the calls the Commerce flows make, idempotency, faults and what the webhooks deliver.

let f: StripeFixture;
beforeAll(async () => {
  f = await startStripeFixture();
});
afterAll(async () => {
  await f.close();
});
afterEach(() => f.faults.clear());

const key = () => `test-${randomUUID()}`;

async function caught(p: Promise<unknown>): Promise<StripeApiError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StripeApiError);
  return err as StripeApiError;
}

async function newCustomer(projectId = randomUUID()) {
  return f.client().createCustomer({
    email: 'owner@example.com',
    name: 'Steuerberater Müller',
    address: { line1: 'Hauptstr. 1', postalCode: '10115', city: 'Berlin', country: 'DE' },
    projectId,
    idempotencyKey: key(),
  });
}

function checkout(customerId: string, projectId: string, mode: 'payment' | 'subscription', extra = {}) {
  const common = {
    projectId,
    customerId,
    lineItems: [
      { name: 'Verzeichnis Basic', unitAmountCents: 4_900 },
      { name: 'Kontakt', unitAmountCents: 1_000, quantity: 2 },
    ],
    successUrl: 'https://app.example.com/projects/p/paid?session={CHECKOUT_SESSION_ID}',
    cancelUrl: 'https://app.example.com/projects/p',
    metadata: { bundle: 'verzeichnis-basic' },
    idempotencyKey: key(),
  };
  const input: CheckoutSessionInput =
    mode === 'payment' ? { ...common, mode } : { ...common, mode, interval: 'month', ...extra };
  return f.client().createCheckoutSession(input);
}

/** The events of these types delivered to the endpoint, verified with our client. */
async function delivered(types: string[]): Promise<Stripe.Event[]> {
  await f.sim.deliveriesSettled();
  return f.webhooks.received
    .map((w) => f.client().verifyWebhook(w.body, w.headers['stripe-signature'] as string))
    .filter((e) => types.includes(e.type));
}

describe('customers', () => {
  it('creates a customer with address and our metadata, and reads it back', async () => {
    const projectId = randomUUID();
    const customer = await newCustomer(projectId);
    expect(customer.id).toMatch(/^cus_\w{14}$/);
    expect(customer).toMatchObject({
      object: 'customer',
      email: 'owner@example.com',
      name: 'Steuerberater Müller',
      address: { line1: 'Hauptstr. 1', postal_code: '10115', city: 'Berlin', country: 'DE', line2: null },
      metadata: { email: 'owner@example.com', projectId },
      livemode: false,
    });
    expect(f.sim.customers().find((c) => c.id === customer.id)).toEqual(customer);
  });
});

describe('checkout sessions', () => {
  it('payment mode: an open, unpaid session with the total of its items and a URL into the simulator', async () => {
    const customer = await newCustomer();
    const projectId = randomUUID();
    const session = await checkout(customer.id, projectId, 'payment');
    expect(session.id).toMatch(/^cs_test_\w{58}$/);
    expect(session).toMatchObject({
      object: 'checkout.session',
      mode: 'payment',
      status: 'open',
      payment_status: 'unpaid',
      amount_total: 6_900,
      amount_subtotal: 6_900,
      currency: 'eur',
      customer: customer.id,
      client_reference_id: projectId,
      metadata: { bundle: 'verzeichnis-basic', projectId },
      payment_intent: null,
      subscription: null,
      url: `${f.api.url}/checkout/${session.id}`,
    });
    expect(session.line_items).toBeUndefined();

    const withItems = await f.client().retrieveCheckoutSession(session.id, { lineItems: true });
    expect(
      withItems.line_items?.data.map((li) => [li.description, li.quantity, li.amount_total, li.price?.type]),
    ).toEqual([
      ['Verzeichnis Basic', 1, 4_900, 'one_time'],
      ['Kontakt', 2, 2_000, 'one_time'],
    ]);
  });

  it('payment mode, paid: completed with a payment intent and checkout.session.completed', async () => {
    const customer = await newCustomer();
    const session = await checkout(customer.id, randomUUID(), 'payment');
    const done = await f.post(`/checkout/${session.id}/complete`);
    expect(done.status).toBe(200);
    expect(done.json.redirectUrl).toBe(`https://app.example.com/projects/p/paid?session=${session.id}`);

    const after = await f.client().retrieveCheckoutSession(session.id);
    expect(after).toMatchObject({ status: 'complete', payment_status: 'paid', url: null });
    expect(after.payment_intent).toMatch(/^pi_/);
    expect(after.customer_details).toMatchObject({
      email: 'owner@example.com',
      name: 'Steuerberater Müller',
    });

    const [event] = (await delivered(['checkout.session.completed'])).filter(
      (e) => (e.data.object as Stripe.Checkout.Session).id === session.id,
    );
    expect(event).toMatchObject({ object: 'event', livemode: false, request: { id: null } });
    expect(event!.data.object).toMatchObject({ id: session.id, payment_status: 'paid', status: 'complete' });
    expect((await f.post(`/checkout/${session.id}/complete`)).status).toBe(409);
  });

  it('payment mode, delayed method: unpaid at completion, then async_payment_succeeded or _failed', async () => {
    const customer = await newCustomer();
    const ok = await checkout(customer.id, randomUUID(), 'payment');
    const bad = await checkout(customer.id, randomUUID(), 'payment');
    for (const s of [ok, bad]) await f.post(`/checkout/${s.id}/complete`, { paymentStatus: 'unpaid' });
    expect((await f.client().retrieveCheckoutSession(ok.id)).payment_status).toBe('unpaid');

    expect((await f.post(`/checkout/${ok.id}/async-succeed`)).status).toBe(200);
    expect((await f.post(`/checkout/${bad.id}/async-fail`)).status).toBe(200);
    expect((await f.post(`/checkout/${ok.id}/async-fail`)).status).toBe(409);
    expect((await f.client().retrieveCheckoutSession(ok.id)).payment_status).toBe('paid');
    expect((await f.client().retrieveCheckoutSession(bad.id)).payment_status).toBe('unpaid');

    const events = await delivered([
      'checkout.session.completed',
      'checkout.session.async_payment_succeeded',
      'checkout.session.async_payment_failed',
    ]);
    const of = (id: string) =>
      events
        .filter((e) => (e.data.object as Stripe.Checkout.Session).id === id)
        .map((e) => [e.type, (e.data.object as Stripe.Checkout.Session).payment_status]);
    expect(of(ok.id)).toEqual([
      ['checkout.session.completed', 'unpaid'],
      ['checkout.session.async_payment_succeeded', 'paid'],
    ]);
    expect(of(bad.id)).toEqual([
      ['checkout.session.completed', 'unpaid'],
      ['checkout.session.async_payment_failed', 'unpaid'],
    ]);
  });

  it('subscription mode: completing creates an active subscription, its paid invoice and the events', async () => {
    const customer = await newCustomer();
    const projectId = randomUUID();
    const session = await checkout(customer.id, projectId, 'subscription');
    expect(session).toMatchObject({ mode: 'subscription', amount_total: 6_900, subscription: null });
    await f.post(`/checkout/${session.id}/complete`);

    const after = await f.client().retrieveCheckoutSession(session.id);
    expect(after).toMatchObject({ status: 'complete', payment_status: 'paid' });
    expect(after.subscription).toMatch(/^sub_\w{24}$/);
    const sub = await f.client().retrieveSubscription(after.subscription as string);
    expect(sub).toMatchObject({
      object: 'subscription',
      status: 'active',
      customer: customer.id,
      metadata: { bundle: 'verzeichnis-basic', projectId },
      trial_end: null,
    });
    const item = sub.items.data[0]!;
    expect(sub.items.data).toHaveLength(2);
    expect(item.price).toMatchObject({
      type: 'recurring',
      recurring: { interval: 'month', interval_count: 1 },
    });
    const start = new Date(item.current_period_start * 1000);
    const end = new Date(item.current_period_end * 1000);
    expect(end.getUTCMonth()).toBe((start.getUTCMonth() + 1) % 12);

    const invoice = await f.client().retrieveInvoice(sub.latest_invoice as string);
    expect(invoice.id).toMatch(/^in_/);
    expect(invoice).toMatchObject({
      status: 'paid',
      billing_reason: 'subscription_create',
      amount_paid: 6_900,
      customer: customer.id,
      parent: {
        type: 'subscription_details',
        subscription_details: { subscription: sub.id, metadata: { projectId } },
      },
    });
    expect(invoice.lines.data[0]).toMatchObject({
      amount: 4_900,
      period: { start: item.current_period_start, end: item.current_period_end },
      parent: { subscription_item_details: { subscription: sub.id } },
    });

    const events = (
      await delivered(['customer.subscription.created', 'invoice.paid', 'checkout.session.completed'])
    ).filter(
      (e) =>
        JSON.stringify(e.data.object).includes(sub.id) || (e.data.object as { id: string }).id === session.id,
    );
    expect(events.map((e) => e.type).sort()).toEqual(
      ['checkout.session.completed', 'customer.subscription.created', 'invoice.paid'].sort(),
    );
    const paid = events.find((e) => e.type === 'invoice.paid')!.data.object as Stripe.Invoice;
    expect(paid).toMatchObject({ billing_reason: 'subscription_create', status: 'paid' });
  });

  it('subscription mode with a trial: trialing, nothing due today, a paid invoice for 0', async () => {
    const customer = await newCustomer();
    const session = await checkout(customer.id, randomUUID(), 'subscription', { trialPeriodDays: 14 });
    expect(session.amount_total).toBe(0);
    await f.post(`/checkout/${session.id}/complete`);
    const after = await f.client().retrieveCheckoutSession(session.id);
    expect(after.payment_status).toBe('no_payment_required');
    const sub = await f.client().retrieveSubscription(after.subscription as string);
    expect(sub.status).toBe('trialing');
    expect(sub.trial_end! - sub.trial_start!).toBe(14 * 86_400);
    const invoice = await f.client().retrieveInvoice(sub.latest_invoice as string);
    expect(invoice).toMatchObject({ status: 'paid', total: 0, billing_reason: 'subscription_create' });
  });

  it('refuses what Stripe refuses, as not transient', async () => {
    const customer = await newCustomer();
    const err = await caught(
      f.client().createCheckoutSession({
        mode: 'payment',
        projectId: 'p',
        customerId: 'cus_doesnotexist',
        lineItems: [{ name: 'x', unitAmountCents: 100 }],
        successUrl: 'https://example.com/ok',
        cancelUrl: 'https://example.com/no',
        idempotencyKey: key(),
      }),
    );
    expect(err).toMatchObject({ transient: false, httpStatus: 400, stripeCode: 'resource_missing' });
    expect(err.message).toContain("No such customer: 'cus_doesnotexist'");
    const missing = await caught(f.client().retrieveInvoice('in_nope'));
    expect(missing).toMatchObject({ transient: false, httpStatus: 404, stripeCode: 'resource_missing' });
    const noItems = await caught(
      f.client().createCheckoutSession({
        mode: 'payment',
        projectId: 'p',
        customerId: customer.id,
        lineItems: [],
        successUrl: 'https://example.com/ok',
        cancelUrl: 'https://example.com/no',
        idempotencyKey: key(),
      }),
    );
    expect(noItems.message).toContain('Missing required param: line_items.');
  });
});

describe('subscriptions', () => {
  async function activeSubscription() {
    const customer = await newCustomer();
    const session = await checkout(customer.id, randomUUID(), 'subscription');
    await f.post(`/checkout/${session.id}/complete`);
    return (await f.client().retrieveCheckoutSession(session.id)).subscription as string;
  }

  it('cancel: canceled with customer.subscription.deleted; a second cancel is the same outcome', async () => {
    const id = await activeSubscription();
    const canceled = await f.client().cancelSubscription(id);
    expect(canceled).toMatchObject({ id, status: 'canceled' });
    expect(canceled.canceled_at).toBeTypeOf('number');
    expect((await f.client().cancelSubscription(id)).status).toBe('canceled');
    const deleted = (await delivered(['customer.subscription.deleted'])).filter(
      (e) => (e.data.object as Stripe.Subscription).id === id,
    );
    expect(deleted).toHaveLength(1);
    expect(deleted[0]!.request?.id).toMatch(/^req_/);
  });

  it('the local helpers renew, fail and cancel with the events Stripe sends', async () => {
    const id = await activeSubscription();
    const first = await f.client().retrieveSubscription(id);

    const renewal = await f.post(`/local/subscriptions/${id}/pay`);
    expect(renewal.status).toBe(200);
    const renewed = await f.client().retrieveSubscription(id);
    expect(renewed.latest_invoice).not.toBe(first.latest_invoice);
    expect(renewed.items.data[0]!.current_period_start).toBe(first.items.data[0]!.current_period_end);
    const cycle = await f.client().retrieveInvoice(renewed.latest_invoice as string);
    expect(cycle).toMatchObject({ billing_reason: 'subscription_cycle', status: 'paid' });
    // The paid service period is the line's; the invoice's own period looks back one period.
    expect(cycle.lines.data[0]!.period.end).toBe(renewed.items.data[0]!.current_period_end);
    expect(cycle.period_end).toBe(renewed.items.data[0]!.current_period_start);

    await f.post(`/local/subscriptions/${id}/fail`);
    const pastDue = await f.client().retrieveSubscription(id);
    expect(pastDue.status).toBe('past_due');
    const failed = await f.client().retrieveInvoice(pastDue.latest_invoice as string);
    expect(failed).toMatchObject({ status: 'open', billing_reason: 'subscription_cycle', amount_paid: 0 });

    // A late payment settles the same invoice and makes the subscription active again.
    await f.post(`/local/subscriptions/${id}/pay`);
    expect((await f.client().retrieveSubscription(id)).status).toBe('active');
    expect((await f.client().retrieveInvoice(failed.id)).status).toBe('paid');

    expect((await f.post(`/local/subscriptions/${id}/cancel`)).status).toBe(200);
    expect((await f.client().retrieveSubscription(id)).status).toBe('canceled');
    expect((await f.post(`/local/subscriptions/${id}/cancel`)).status).toBe(409);

    const ofThis = (
      await delivered([
        'invoice.paid',
        'invoice.payment_failed',
        'customer.subscription.updated',
        'customer.subscription.deleted',
      ])
    )
      .filter((e) => JSON.stringify(e.data.object).includes(id))
      .map((e) => [
        e.type,
        (e.data.object as { billing_reason?: string; status?: string }).billing_reason ??
          (e.data.object as { status: string }).status,
      ]);
    expect(ofThis).toEqual(
      expect.arrayContaining([
        ['invoice.paid', 'subscription_create'],
        ['invoice.paid', 'subscription_cycle'],
        ['invoice.payment_failed', 'subscription_cycle'],
        ['customer.subscription.updated', 'past_due'],
        ['customer.subscription.updated', 'active'],
        ['customer.subscription.deleted', 'canceled'],
      ]),
    );
  });
});

describe('events', () => {
  it('lists newest first, by type (wildcards too), in pages', async () => {
    const customer = await newCustomer();
    for (let i = 0; i < 3; i++) {
      const s = await checkout(customer.id, randomUUID(), 'payment');
      await f.post(`/checkout/${s.id}/complete`);
    }
    const { events, hasMore } = await f.client().listEvents({ type: 'checkout.session.completed', limit: 2 });
    expect(events).toHaveLength(2);
    expect(hasMore).toBe(true);
    expect(events[0]!.created).toBeGreaterThanOrEqual(events[1]!.created);
    const all = f.sim.events().filter((e) => e.type === 'checkout.session.completed');
    expect(events.map((e) => e.id)).toEqual(
      all
        .slice(-2)
        .reverse()
        .map((e) => e.id),
    );

    const next = await f
      .client()
      .listEvents({ type: 'checkout.*', limit: 100, startingAfter: events[1]!.id });
    expect(next.events.map((e) => e.id)).not.toContain(events[0]!.id);
    expect(next.events.every((e) => e.type.startsWith('checkout.'))).toBe(true);
    expect(next.events[0]!.id).toBe(all.at(-3)!.id);
  });
});

describe('idempotency', () => {
  it('the same key and parameters give the first answer again; other parameters an idempotency_error', async () => {
    const idempotencyKey = key();
    const input = { email: 'same@example.com', name: 'Same', idempotencyKey };
    const first = await f.client().createCustomer(input);
    const again = await f.client().createCustomer(input);
    expect(again.id).toBe(first.id);
    expect(f.sim.customers().filter((c) => c.email === 'same@example.com')).toHaveLength(1);

    const err = await caught(f.client().createCustomer({ ...input, name: 'Other' }));
    expect(err).toMatchObject({ transient: false, httpStatus: 400, stripeType: 'idempotency_error' });
  });

  it('a checkout session created twice with the same key is one session', async () => {
    const customer = await newCustomer();
    const input: CheckoutSessionInput = {
      mode: 'subscription',
      interval: 'year',
      projectId: 'p-1',
      customerId: customer.id,
      lineItems: [{ name: 'Bundle', unitAmountCents: 49_000 }],
      successUrl: 'https://example.com/ok',
      cancelUrl: 'https://example.com/no',
      idempotencyKey: key(),
    };
    const [a, b] = await Promise.all([
      f.client().createCheckoutSession(input),
      f.client().createCheckoutSession(input),
    ]);
    expect(b.id).toBe(a.id);
  });
});

describe('faults', () => {
  it.each([
    ['http_500', 500],
    ['http_429', 429],
  ] as const)('%s is a transient StripeApiError', async (mode, status) => {
    f.faults.add({ service: 'stripe', operation: 'POST /v1/customers', mode, times: 1 });
    const err = await caught(newCustomer());
    expect(err).toMatchObject({ service: 'stripe', transient: true, httpStatus: status });
  });

  it('error is a permanent one', async () => {
    f.faults.add({ service: 'stripe', operation: 'POST /v1/checkout/sessions', mode: 'error', times: 1 });
    const customer = await newCustomer();
    expect(await caught(checkout(customer.id, 'p', 'payment'))).toMatchObject({
      transient: false,
      httpStatus: 400,
    });
  });

  it('timeout ends at the call timeout as a transient error', async () => {
    f.faults.add({ service: 'stripe', operation: 'GET /v1/subscriptions/{id}', mode: 'timeout', times: 1 });
    const started = Date.now();
    const err = await caught(f.client({ timeoutMs: 300 }).retrieveSubscription('sub_any'));
    expect(err).toMatchObject({ transient: true, code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('a 500 once is retried by the SDK with the same idempotency key: one customer', async () => {
    f.faults.add({ service: 'stripe', operation: 'POST /v1/customers', mode: 'http_500', times: 1 });
    const customer = await f.client({ maxNetworkRetries: 1 }).createCustomer({
      email: 'retried@example.com',
      idempotencyKey: key(),
    });
    expect(customer.email).toBe('retried@example.com');
    expect(f.sim.customers().filter((c) => c.email === 'retried@example.com')).toHaveLength(1);
  });

  it('an unreachable Stripe is a transient network error', async () => {
    const err = await caught(f.client({ apiBaseUrl: 'http://127.0.0.1:9' }).retrieveInvoice('in_x'));
    expect(err).toMatchObject({ transient: true, code: 'network' });
  });

  it('any key but sk_test_… is refused (401), without the key in the message', async () => {
    const err = await caught(f.client({ secretKey: 'sk_live_realLookingKey1234' }).retrieveInvoice('in_x'));
    expect(err).toMatchObject({ transient: false, httpStatus: 401 });
    expect(err.message).not.toContain('realLookingKey');
  });
});

describe('webhook deliveries', () => {
  it('are signed so that our client verifies them, and refuses them with another secret', async () => {
    const customer = await newCustomer();
    const s = await checkout(customer.id, randomUUID(), 'payment');
    await f.post(`/checkout/${s.id}/complete`);
    await f.sim.deliveriesSettled();
    const w = f.webhooks.received.find((r) => r.body.includes(s.id))!;
    expect(w.headers['content-type']).toContain('application/json');
    const event = f.client().verifyWebhook(w.body, w.headers['stripe-signature'] as string);
    expect(event).toMatchObject({ type: 'checkout.session.completed', api_version: '2026-10-28.endive' });
    expect(() =>
      f
        .client({ webhookSecret: 'whsec_other' })
        .verifyWebhook(w.body, w.headers['stripe-signature'] as string),
    ).toThrow(InvalidWebhookSignatureError);
    expect(f.sim.events().find((e) => e.id === event.id)?.pending_webhooks).toBe(0);
  });
});
