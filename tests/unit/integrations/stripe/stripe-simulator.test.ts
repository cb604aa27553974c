import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer, type HttpServerDeps } from '../../../../infra/local/gateway/http-server.js';
import { parseForm } from '../../../../infra/local/simulators/stripe/form.js';
import { periodEnd } from '../../../../infra/local/simulators/stripe/periods.js';
import { type StripeFixture, startStripeFixture } from '../../../support/stripe-fixture.js';

// The simulator's own behaviour: what it parses, how it counts periods, how it delivers webhooks
// (retries, giving up, not blocking), what it keeps across a restart, and its mount on the main server.

const key = () => `test-${randomUUID()}`;
describe('form parameters', () => {
  it('turns nested keys back into objects and arrays, as the SDK writes them', () => {
    const form =
      'mode=payment&line_items[0][price_data][product_data][name]=A%20B&line_items[0][quantity]=2' +
      '&line_items[1][price_data][unit_amount]=5&metadata[projectId]=p1&expand[]=line_items&expand[]=customer';
    expect(parseForm(form)).toEqual({
      mode: 'payment',
      line_items: [
        { price_data: { product_data: { name: 'A B' } }, quantity: '2' },
        { price_data: { unit_amount: '5' } },
      ],
      metadata: { projectId: 'p1' },
      expand: ['line_items', 'customer'],
    });
    // Brackets may come percent-encoded too; prototype keys are ignored.
    expect(parseForm('metadata%5Ba%5D=1&__proto__[x]=1&a[__proto__][y]=2')).toEqual({
      metadata: { a: '1' },
      a: {},
    });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('billing periods', () => {
  const t = (iso: string) => Date.parse(iso) / 1000;
  it('count calendar months from the anchor, clamping its day to the month', () => {
    const anchor = t('2027-01-31T09:30:00Z');
    const feb = periodEnd(anchor, 'month', anchor);
    expect(new Date(feb * 1000).toISOString()).toBe('2027-02-28T09:30:00.000Z');
    expect(new Date(periodEnd(feb, 'month', anchor) * 1000).toISOString()).toBe('2027-03-31T09:30:00.000Z');
    expect(
      new Date(periodEnd(t('2027-12-15T00:00:00Z'), 'month', t('2027-12-15T00:00:00Z')) * 1000).toISOString(),
    ).toBe('2028-01-15T00:00:00.000Z');
    const leap = t('2028-02-29T12:00:00Z');
    expect(new Date(periodEnd(leap, 'year', leap) * 1000).toISOString()).toBe('2029-02-28T12:00:00.000Z');
  });
});

describe('the API', () => {
  let f: StripeFixture;
  beforeAll(async () => {
    f = await startStripeFixture();
  });
  afterAll(async () => {
    await f.close();
  });

  const call = (
    method: string,
    path: string,
    opts: { auth?: string; form?: string; headers?: Record<string, string> } = {},
  ) =>
    fetch(`${f.api.url}${path}`, {
      method,
      headers: {
        authorization: opts.auth ?? 'Bearer sk_test_raw',
        ...(opts.form !== undefined && { 'content-type': 'application/x-www-form-urlencoded' }),
        ...opts.headers,
      },
      ...(opts.form !== undefined && { body: opts.form }),
    });

  it("answers unknown paths, missing keys and others' keys as Stripe does", async () => {
    const unknown = await call('GET', '/v1/nothing');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(
      /^Unrecognized request URL \(GET: \/v1\/nothing\)/,
    );
    expect((await call('GET', '/v1/events', { auth: '' })).status).toBe(401);
    const live = await call('GET', '/v1/events', { auth: 'Bearer sk_live_abcdefgh1234' });
    expect(live.status).toBe(401);
    expect(((await live.json()) as { error: { type: string; message: string } }).error).toEqual({
      type: 'invalid_request_error',
      message: expect.stringMatching(/^Invalid API Key provided: sk_live_\*+1234$/),
    });
    // curl -u sk_test_…: works too.
    const basic = `Basic ${Buffer.from('sk_test_curl:').toString('base64')}`;
    expect((await call('GET', '/v1/events?limit=1', { auth: basic })).status).toBe(200);
  });

  it('names the parameter that is wrong', async () => {
    const res = await call('POST', '/v1/checkout/sessions', {
      form: 'mode=payment&line_items[0][quantity]=1&line_items[0][price_data][currency]=eur&line_items[0][price_data][unit_amount]=abc',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: {
        type: 'invalid_request_error',
        code: 'parameter_invalid_integer',
        param: 'line_items[0][price_data][unit_amount]',
        message: 'Invalid integer: abc',
      },
    });
    const { id } = (await (await call('POST', '/v1/customers', { form: '' })).json()) as { id: string };
    expect((await call('GET', `/v1/customers/${id}`)).status).toBe(200);
    const sub = await call('GET', '/v1/subscriptions/sub_nope');
    expect(await sub.json()).toMatchObject({
      error: { code: 'resource_missing', message: "No such subscription: 'sub_nope'" },
    });
  });

  it('replays a repeated POST with the original request id; another endpoint with the same key is refused', async () => {
    const headers = { 'idempotency-key': key() };
    const first = await call('POST', '/v1/customers', { form: 'email=a%40example.com', headers });
    const again = await call('POST', '/v1/customers', { form: 'email=a%40example.com', headers });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('original-request')).toBe(first.headers.get('request-id'));
    expect(await again.json()).toEqual(await first.json());
    const other = await call('POST', '/v1/checkout/sessions', { form: 'mode=payment', headers });
    expect(other.status).toBe(400);
    expect(((await other.json()) as { error: { type: string; message: string } }).error).toMatchObject({
      type: 'idempotency_error',
      message: expect.stringContaining("'POST /v1/customers' vs 'POST /v1/checkout/sessions'"),
    });
  });

  it('serves a Checkout page whose form pays and sends the browser to the success URL', async () => {
    const form = new URLSearchParams({
      mode: 'subscription',
      success_url: 'https://app.example.com/ok?s={CHECKOUT_SESSION_ID}',
      customer_email: 'new@example.com',
      'line_items[0][quantity]': '1',
      'line_items[0][price_data][currency]': 'eur',
      'line_items[0][price_data][unit_amount]': '990',
      'line_items[0][price_data][product_data][name]': 'Kontakt',
      'line_items[0][price_data][recurring][interval]': 'year',
    }).toString();
    const session = (await (await call('POST', '/v1/checkout/sessions', { form })).json()) as {
      id: string;
      url: string;
    };
    const page = await fetch(session.url);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('Kontakt');
    const paid = await fetch(`${session.url}/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
      redirect: 'manual',
    });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`https://app.example.com/ok?s=${session.id}`);
    // Without a customer, Checkout made one from the e-mail for the subscription.
    const stored = f.sim.checkoutSessions().find((s) => s.id === session.id)!;
    expect(f.sim.customers().find((c) => c.id === stored.customer)?.email).toBe('new@example.com');
  });
  it('expires an open session through the API or the local helper, with its event; only once', async () => {
    const form = new URLSearchParams({
      mode: 'payment',
      client_reference_id: 'project-expiring',
      'line_items[0][quantity]': '1',
      'line_items[0][price_data][currency]': 'eur',
      'line_items[0][price_data][unit_amount]': '100',
      'line_items[0][price_data][product_data][name]': 'x',
    }).toString();
    const open = async () =>
      (await (await call('POST', '/v1/checkout/sessions', { form })).json()) as { id: string };
    const [a, b] = [await open(), await open()];

    const byApi = await call('POST', `/v1/checkout/sessions/${a.id}/expire`);
    expect(byApi.status).toBe(200);
    expect(await byApi.json()).toMatchObject({ id: a.id, status: 'expired', url: null });
    const byHelper = await f.post(`/local/checkout/sessions/${b.id}/expire`);
    expect(byHelper.status).toBe(200);
    expect(byHelper.json).toMatchObject({ id: b.id, status: 'expired', events: [expect.any(String)] });

    const again = await call('POST', `/v1/checkout/sessions/${a.id}/expire`);
    expect(again.status).toBe(400);
    expect((await f.post(`/local/checkout/sessions/${b.id}/expire`)).status).toBe(400);
    const expired = f.sim
      .events()
      .filter((e) => e.type === 'checkout.session.expired')
      .map((e) => e.data.object as { id: string; status: string; client_reference_id: string });
    expect(expired).toEqual([
      expect.objectContaining({ id: a.id, status: 'expired', client_reference_id: 'project-expiring' }),
      expect.objectContaining({ id: b.id, status: 'expired' }),
    ]);
    expect((await fetch(`${f.api.url}/checkout/${a.id}/complete`, { method: 'POST' })).status).toBe(409);
  });

  it('takes JSON on the helpers even when curl labels it a form', async () => {
    const form = new URLSearchParams({
      mode: 'payment',
      'line_items[0][quantity]': '1',
      'line_items[0][price_data][currency]': 'eur',
      'line_items[0][price_data][unit_amount]': '100',
      'line_items[0][price_data][product_data][name]': 'x',
    }).toString();
    const session = (await (await call('POST', '/v1/checkout/sessions', { form })).json()) as {
      id: string;
      url: string;
    };
    const res = await fetch(`${session.url}/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '{"paymentStatus":"unpaid"}',
      redirect: 'manual',
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { session: { payment_status: string } }).session.payment_status).toBe(
      'unpaid',
    );
  });
});

describe('webhook delivery', () => {
  let f: StripeFixture;
  beforeAll(async () => {
    f = await startStripeFixture({ retryDelaysMs: [10, 20] });
  });
  afterAll(async () => {
    await f.close();
  });

  async function paidSession(): Promise<string> {
    const client = f.client();
    const customer = await client.createCustomer({ email: 'w@example.com', idempotencyKey: key() });
    const session = await client.createCheckoutSession({
      mode: 'payment',
      projectId: randomUUID(),
      customerId: customer.id,
      lineItems: [{ name: 'x', unitAmountCents: 100 }],
      successUrl: 'https://example.com/ok',
      cancelUrl: 'https://example.com/no',
      idempotencyKey: key(),
    });
    await f.post(`/checkout/${session.id}/complete`);
    return session.id;
  }

  it('retries a 404 (no webhook route yet) and gives up, keeping the event listed', async () => {
    f.webhooks.answer = () => 404;
    const id = await paidSession();
    await f.sim.deliveriesSettled();
    const delivery = f.sim
      .deliveries()
      .find(
        (d) =>
          d.type === 'checkout.session.completed' &&
          f.sim.events().find((e) => e.id === d.eventId && JSON.stringify(e).includes(id)),
      )!;
    expect(delivery.status).toBe('failed');
    expect(delivery.attempts.map((a) => a.status)).toEqual([404, 404, 404]);
    const event = f.sim.events().find((e) => e.id === delivery.eventId)!;
    expect(event.pending_webhooks).toBe(0);
    expect(
      (await f.client().listEvents({ type: 'checkout.session.completed', limit: 1 })).events[0]!.id,
    ).toBe(event.id);
  });

  it('delivers on a retry after a 500, each attempt freshly signed', async () => {
    f.webhooks.received.length = 0;
    f.webhooks.answer = (n) => (n === 1 ? 500 : 200);
    await paidSession();
    await f.sim.deliveriesSettled();
    const last = f.sim.deliveries().at(-1)!;
    expect(last).toMatchObject({ status: 'delivered', type: 'checkout.session.completed' });
    expect(last.attempts.map((a) => a.status)).toEqual([500, 200]);
    expect(f.webhooks.received).toHaveLength(2);
    for (const w of f.webhooks.received)
      expect(f.client().verifyWebhook(w.body, w.headers['stripe-signature'] as string).id).toBe(last.eventId);
  });

  it('never holds up the call that caused the event', async () => {
    let release!: () => void;
    const held = new Promise<number>((r) => {
      release = () => r(200);
    });
    f.webhooks.answer = () => held;
    const started = Date.now();
    await paidSession();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(f.sim.deliveries().at(-1)!.status).toBe('pending');
    const listed = await fetch(`${f.api.url}/local/deliveries`);
    expect(((await listed.json()) as { items: { status: string }[] }).items.at(-1)!.status).toBe('pending');
    release();
    await f.sim.deliveriesSettled();
    expect(f.sim.deliveries().at(-1)!.status).toBe('delivered');
  });
});

describe('a restart', () => {
  it('keeps objects, idempotency keys and events, and sends pending deliveries again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stripe-sim-'));
    const persistPath = join(dir, 'stripe.json');
    try {
      const first = await startStripeFixture({ persistPath });
      const idempotencyKey = key();
      const customer = await first.client().createCustomer({ email: 'kept@example.com', idempotencyKey });
      let release!: () => void;
      first.webhooks.answer = () =>
        new Promise<number>((r) => {
          release = () => r(200);
        });
      const session = await first.client().createCheckoutSession({
        mode: 'payment',
        projectId: 'p',
        customerId: customer.id,
        lineItems: [{ name: 'x', unitAmountCents: 100 }],
        successUrl: 'https://example.com/ok',
        cancelUrl: 'https://example.com/no',
        idempotencyKey: key(),
      });
      await first.post(`/checkout/${session.id}/complete`);
      await first.close(); // the delivery is still waiting for its answer
      release?.();

      const second = await startStripeFixture({ persistPath });
      try {
        expect(
          await second.client().createCustomer({ email: 'kept@example.com', idempotencyKey }),
        ).toMatchObject({
          id: customer.id,
        });
        expect((await second.client().retrieveCheckoutSession(session.id)).status).toBe('complete');
        expect(second.sim.deliveries().at(-1)!.status).toBe('pending');
        second.sim.resumeDeliveries();
        await second.sim.deliveriesSettled();
        expect(second.sim.deliveries().at(-1)!.status).toBe('delivered');
        expect(second.webhooks.received.map((w) => JSON.parse(w.body).type)).toEqual([
          'checkout.session.completed',
        ]);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('on the main server', () => {
  it('is mounted at /sim/stripe: the API at /sim/stripe/v1, the Checkout pages and helpers beside it', async () => {
    const f = await startStripeFixture();
    const server = createHttpServer({ stripe: f.sim, isReady: () => true } as unknown as HttpServerDeps);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sim/stripe`;
    try {
      const created = await fetch(`${base}/v1/checkout/sessions`, {
        method: 'POST',
        headers: {
          authorization: 'Bearer sk_test_main',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({
          mode: 'payment',
          'line_items[0][quantity]': '1',
          'line_items[0][price_data][currency]': 'eur',
          'line_items[0][price_data][unit_amount]': '100',
          'line_items[0][price_data][product_data][name]': 'x',
        }).toString(),
      });
      expect(created.status).toBe(200);
      const { id } = (await created.json()) as { id: string };
      const done = await fetch(`${base}/checkout/${id}/complete`, { method: 'POST' });
      expect(done.status).toBe(200);
      const events = await fetch(`${base}/v1/events?type=checkout.session.completed&limit=1`, {
        headers: { authorization: 'Bearer sk_test_main' },
      });
      expect(
        ((await events.json()) as { data: { data: { object: { id: string } } }[] }).data[0]!.data.object.id,
      ).toBe(id);
      expect((await fetch(`${base}/local/deliveries`)).status).toBe(200);
    } finally {
      server.close();
      await f.close();
    }
  });
});
