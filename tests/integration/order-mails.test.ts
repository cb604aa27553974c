import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { api, orderBody, startTestStack, waitForStatus } from './support/api.js';

// The owner hears of an accepted order twice, each exactly once: the order confirmation with the
// expected duration (at once for invoice orders, on payment for card orders) and "provisioning
// started" — also when Stripe delivers the payment again, five times at once.

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
  customer = await stack.token('karten-kunde@example.com', 'customer');
});
afterAll(async () => {
  await stack?.stop();
});

/** The mails of `to` whose subject matches, as GET /sim/mail/messages lists them. */
async function mailsTo(to: string, subject: RegExp): Promise<Json[]> {
  const res = await fetch(`${stack.url}/sim/mail/messages`);
  const { items } = (await res.json()) as { items: Json[] };
  return items.filter((m) => [m.to].flat().includes(to) && subject.test(m.subject));
}

describe('an invoice order', () => {
  it('mails the owner one order confirmation and one "provisioning started"', async () => {
    const res = await call<Json>('POST', '/v1/projects', {
      token: staff,
      body: orderBody('mails-rechnung', { ownerEmail: 'rechnung-owner@example.com' }),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await waitForStatus(stack, staff, res.body.project.id, ['active', 'error'], 60_000)).status).toBe(
      'active',
    );
    const confirmations = await mailsTo('rechnung-owner@example.com', /^Bestellung bestätigt/);
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0]!.text).toContain(
      'innerhalb weniger Minuten unter https://mails-rechnung.vrs.gmbh',
    );
    expect(await mailsTo('rechnung-owner@example.com', /^Einrichtung von .* gestartet/)).toHaveLength(1);
  });
});

describe('a paid card order', () => {
  it('mails the owner once each on payment, however often the payment is delivered', async () => {
    const res = await call<Json>('POST', '/v1/projects', {
      token: customer,
      body: orderBody('mails-karte', {
        ownerEmail: undefined,
        paymentMethod: 'stripe_prepaid',
        locale: 'en',
      }),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const id = res.body.project.id as string;
    // Nothing is confirmed before payment.
    expect(await mailsTo('karten-kunde@example.com', /./)).toEqual([]);

    // Paid: the simulator delivers the event, and at the same moment it arrives five times more.
    expect((await fetch(`${res.body.checkoutUrl}/complete`, { method: 'POST' })).status).toBeLessThan(300);
    const completed = stack.stripe
      .events()
      .find(
        (e) => e.type === 'checkout.session.completed' && (e.data.object as Json).client_reference_id === id,
      );
    const payload = JSON.stringify(completed);
    const replays = await Promise.all(
      Array.from({ length: 5 }, () =>
        fetch(`${stack.url}/v1/webhooks/stripe`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'stripe-signature': Stripe.webhooks.generateTestHeaderString({
              payload,
              secret: 'whsec_local_test',
            }),
          },
          body: payload,
        }),
      ),
    );
    expect(replays.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect((await waitForStatus(stack, customer, id, ['active', 'error'], 60_000)).status).toBe('active');
    await stack.stripe.deliveriesSettled();

    const confirmations = await mailsTo('karten-kunde@example.com', /^Order confirmed/);
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0]!.text).toContain('within a few minutes at https://mails-karte.vrs.gmbh');
    expect(await mailsTo('karten-kunde@example.com', /^Setup of .* has started/)).toHaveLength(1);
  });
});
