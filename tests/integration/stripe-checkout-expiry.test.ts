import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { api, orderBody, startTestStack, waitForStatus } from './support/api.js';

// A card order nobody pays: once its Checkout Session expires, Stripe's checkout.session.expired
// releases it — archived with the reason, its subdomain free for the next order — once, however
// often the event comes, and never for a session the project no longer awaits.

let stack: LocalStack;
let call: ReturnType<typeof api>['call'];
let staff: string;
let customer: string;

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field in the test
type Json = Record<string, any>;

beforeAll(async () => {
  stack = await startTestStack({ jobIntervalMs: 0 });
  ({ call } = api(stack));
  staff = await stack.token('staff@vrs.gmbh', 'staff');
  customer = await stack.token('zoegerlich@example.com', 'customer');
});
afterAll(async () => {
  await stack?.stop();
});

const deliver = (payload: string) =>
  fetch(`${stack.url}/v1/webhooks/stripe`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_local_test' }),
    },
    body: payload,
  });

const order = (subdomain: string) =>
  call<Json>('POST', '/v1/projects', {
    token: customer,
    body: orderBody(subdomain, {
      ownerEmail: undefined,
      paymentMethod: 'stripe_prepaid',
      billingEmail: 'zahlt-nicht@example.com',
    }),
  });

const sessionOf = (projectId: string) =>
  stack.stripe.checkoutSessions().find((s) => s.client_reference_id === projectId)!;

const project = async (id: string) => (await call<Json>('GET', `/v1/projects/${id}`, { token: staff })).body;
const logs = async (id: string) =>
  (await call<Json>('GET', `/v1/projects/${id}/logs`, { token: staff })).body.items as Json[];
const lapsedMails = () =>
  stack.mailbox
    .list()
    .filter((m) => m.to.includes('zahlt-nicht@example.com') && /nicht abgeschlossen/.test(m.subject));

describe('an unpaid card order whose checkout expires', () => {
  let first: string;
  let expiredEvent: string;

  it('holds its subdomain while it awaits payment', async () => {
    const res = await order('verfaellt');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    first = res.body.project.id;
    expect((await order('verfaellt')).status).toBe(409);
  });

  it('is archived with the reason once the session expires, and the customer is told', async () => {
    const session = sessionOf(first);
    const res = await fetch(`${stack.url}/sim/stripe/local/checkout/sessions/${session.id}/expire`, {
      method: 'POST',
    });
    expect(res.status).toBe(200);
    const archived = await waitForStatus(stack, staff, first, ['archived'], 30_000);
    expect(archived.licenses).toEqual([]);
    // Its domain is marked removed (views leave removed domains out).
    expect(archived.domains).toEqual([]);
    const lapsed = (await logs(first)).filter((l) => l.action === 'order_lapsed');
    expect(lapsed).toHaveLength(1);
    expect(lapsed[0]).toMatchObject({ oldStatus: 'pending_payment', newStatus: 'archived' });
    expect(lapsed[0]!.message).toContain(session.id);
    await stack.mailbox.waitFor((m) => m.to.includes('zahlt-nicht@example.com'), 10_000);
    expect(lapsedMails()).toHaveLength(1);
    await stack.stripe.deliveriesSettled();
    expiredEvent = JSON.stringify(
      stack.stripe
        .events()
        .find((e) => e.type === 'checkout.session.expired' && (e.data.object as Json).id === session.id),
    );
  });

  let second: string;
  it('frees the subdomain: the same one can be ordered again', async () => {
    const res = await order('verfaellt');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    second = res.body.project.id;
    expect(res.body.project.status).toBe('pending_payment');
  });

  it('a replayed event, five times at once, changes nothing', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => deliver(expiredEvent)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect((await logs(first)).filter((l) => l.action === 'order_lapsed')).toHaveLength(1);
    expect((await project(second)).status).toBe('pending_payment');
    expect(lapsedMails()).toHaveLength(1);
    // The new order still holds the subdomain.
    expect((await order('verfaellt')).status).toBe(409);
  });

  it('an expired session the project does not await (the old one, named for the new project) changes nothing', async () => {
    const old = JSON.parse(expiredEvent) as Json;
    const foreign = JSON.stringify({
      ...old,
      id: 'evt_old_session_for_new_project',
      data: { object: { ...old.data.object, client_reference_id: second } },
    });
    expect((await deliver(foreign)).status).toBe(200);
    expect((await project(second)).status).toBe('pending_payment');
    expect((await logs(second)).some((l) => l.action === 'order_lapsed')).toBe(false);
  });

  it('an expiry event for an open session (Stripe says it is open) changes nothing', async () => {
    const open = sessionOf(second);
    const early = JSON.stringify({
      id: 'evt_not_expired_yet',
      object: 'event',
      type: 'checkout.session.expired',
      data: { object: { ...open, status: 'expired' } },
    });
    expect((await deliver(early)).status).toBe(200);
    expect((await project(second)).status).toBe('pending_payment');
  });
});
