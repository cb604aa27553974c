import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { api, orderBody, startTestStack, waitForStatus } from './support/api.js';
import { deliverToWebhook, WEBHOOK_SECRET as SECRET } from './support/stripe.js';

// A customer buys on their own: the order answers with a Stripe Checkout URL and provisions
// nothing; paying in the (simulated) checkout delivers signed events to our webhook, which
// provisions the project exactly once, with its licenses — however often, and however forged,
// the events come.

let stack: LocalStack;
let call: ReturnType<typeof api>['call'];
let staff: string;
let customer: string;

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field in the test
type Json = Record<string, any>;

beforeAll(async () => {
  stack = await startTestStack();
  ({ call } = api(stack));
  staff = await stack.token('staff@vrs.gmbh', 'staff');
  customer = await stack.token('kaeufer@example.com', 'customer');
});
afterAll(async () => {
  await stack?.stop();
});

const provisionRuns = async (id: string) =>
  (
    await stack.stepFunctions.listExecutions({
      stateMachineArn: stack.stateMachineArns['provision-subdomain'],
    })
  ).executions.filter((e) => e.name.startsWith(id));

const deliver = (payload: string, opts: Parameters<typeof deliverToWebhook>[2] = {}) =>
  deliverToWebhook(stack, payload, opts);

async function cardOrder(
  subdomain: string,
  paymentMethod: string,
): Promise<{ id: string; checkoutUrl: string }> {
  const res = await call<Json>('POST', '/v1/projects', {
    token: customer,
    body: orderBody(subdomain, {
      ownerEmail: undefined,
      paymentMethod,
      billingEmail: 'buchhaltung@example.com',
    }),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.project.id, checkoutUrl: res.body.checkoutUrl };
}

describe('a prepaid card order', () => {
  let id: string;
  let completedEvent: string;

  it('answers with a Checkout URL; nothing is provisioned or licensed before payment', async () => {
    const order = await cardOrder('karte-bezahlt', 'stripe_prepaid');
    id = order.id;
    expect(order.checkoutUrl).toMatch(/\/sim\/stripe\/checkout\/cs_test_/);
    const project = (await call<Json>('GET', `/v1/projects/${id}`, { token: customer })).body;
    expect(project).toMatchObject({
      status: 'pending_payment',
      paymentMethod: 'stripe_prepaid',
      licenses: [],
    });
    expect(await provisionRuns(id)).toEqual([]);
    const session = stack.stripe.checkoutSessions().find((s) => s.client_reference_id === id)!;
    expect(session).toMatchObject({ mode: 'payment', payment_status: 'unpaid', amount_total: 3800 });
  });

  it('is provisioned once paid, with its licenses', async () => {
    const paid = await fetch(`${order(id)}/complete`, { method: 'POST' });
    expect(paid.status).toBeLessThan(300);
    const project = await waitForStatus(stack, customer, id, ['active', 'error'], 60_000);
    expect(project.status).toBe('active');
    expect((project.licenses as Json[]).map((l) => [l.plugin, l.status]).sort()).toEqual([
      ['directory', 'active'],
      ['kontakt', 'active'],
    ]);
    expect(await provisionRuns(id)).toHaveLength(1);
    await stack.stripe.deliveriesSettled();
    const event = stack.stripe
      .events()
      .find(
        (e) => e.type === 'checkout.session.completed' && (e.data.object as Json).client_reference_id === id,
      )!;
    completedEvent = JSON.stringify(event);
  });

  it('is provisioned once, however often the event is delivered, also five times at once', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => deliver(completedEvent)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await provisionRuns(id)).toHaveLength(1);
    const logs = (await call<Json>('GET', `/v1/projects/${id}/logs`, { token: staff })).body.items as Json[];
    expect(logs.filter((l) => l.action === 'payment_received')).toHaveLength(1);
  });

  const order = (projectId: string) =>
    `${stack.url}/sim/stripe/checkout/${stack.stripe.checkoutSessions().find((s) => s.client_reference_id === projectId)!.id}`;
});

describe('forged and foreign webhooks', () => {
  it('a wrong secret, a changed body, an hour-old or missing signature get 400 and change nothing', async () => {
    const { id } = await cardOrder('karte-gefaelscht', 'stripe_prepaid');
    const session = stack.stripe.checkoutSessions().find((s) => s.client_reference_id === id)!;
    const forged = JSON.stringify({
      id: 'evt_forged',
      object: 'event',
      type: 'checkout.session.completed',
      data: { object: { ...session, payment_status: 'paid' } },
    });
    const hourAgo = Math.floor(Date.now() / 1000) - 3600;
    const signed = Stripe.webhooks.generateTestHeaderString({ payload: forged, secret: SECRET });
    const answers = await Promise.all([
      deliver(forged, { secret: 'whsec_guessed' }),
      deliver(forged.replace('evt_forged', 'evt_changed'), { signature: signed }),
      deliver(forged, { timestamp: hourAgo }),
      fetch(`${stack.url}/v1/webhooks/stripe`, { method: 'POST', body: forged }),
    ]);
    for (const a of answers) {
      expect(a.status).toBe(400);
      expect(a.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await call<Json>('GET', `/v1/projects/${id}`, { token: customer })).body.status).toBe(
      'pending_payment',
    );

    // Even correctly signed, a session Stripe does not report as paid provisions nothing.
    expect((await deliver(forged)).status).toBe(200);
    expect((await call<Json>('GET', `/v1/projects/${id}`, { token: customer })).body.status).toBe(
      'pending_payment',
    );
    expect(await provisionRuns(id)).toEqual([]);
  });

  it('unknown event types and events for unknown projects are acknowledged and ignored', async () => {
    const unknownType = JSON.stringify({
      id: 'evt_x1',
      object: 'event',
      type: 'charge.dispute.created',
      data: { object: {} },
    });
    expect((await deliver(unknownType)).status).toBe(200);
    const unknownProject = JSON.stringify({
      id: 'evt_x2',
      object: 'event',
      type: 'checkout.session.completed',
      data: {
        object: {
          id: 'cs_test_nope',
          client_reference_id: '00000000-0000-4000-8000-000000000000',
          payment_status: 'paid',
        },
      },
    });
    expect((await deliver(unknownProject)).status).toBe(200);
  });
});

describe('a subscription order', () => {
  it('is billed monthly through a Stripe subscription and provisioned once paid', async () => {
    const { id, checkoutUrl } = await cardOrder('karte-abo', 'stripe_subscription');
    expect((await fetch(`${checkoutUrl}/complete`, { method: 'POST' })).status).toBeLessThan(300);
    const project = await waitForStatus(stack, customer, id, ['active', 'error'], 60_000);
    expect(project.status).toBe('active');
    const session = stack.stripe.checkoutSessions().find((s) => s.client_reference_id === id)!;
    expect(session.mode).toBe('subscription');
    expect(stack.stripe.subscriptions().some((s) => s.id === session.subscription)).toBe(true);
    expect(await provisionRuns(id)).toHaveLength(1);
  });

  it('refuses plugins in mixed cycles (a subscription has one)', async () => {
    const res = await call<Json>('POST', '/v1/projects', {
      token: customer,
      body: orderBody('karte-gemischt', {
        ownerEmail: undefined,
        paymentMethod: 'stripe_subscription',
        projectType: 'hersteller_portal',
        bundle: 'hersteller-katalog',
        plugins: ['events'],
      }),
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { path: 'paymentMethod', message: 'use "stripe_prepaid" for plugins paid once or in mixed cycles' },
    ]);
  });
});
