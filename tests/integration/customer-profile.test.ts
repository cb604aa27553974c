import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { api, orderBody, startTestStack, waitForStatus } from './support/api.js';

// A customer keeps their own profile (contract: GET/PUT /v1/me); staff clear a customer to pay by
// invoice, and such a customer then orders by invoice on their own.

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
  customer = await stack.token('Erika@Example.com', 'customer');
});
afterAll(async () => {
  await stack?.stop();
});

const profile = {
  name: 'Erika Müller',
  company: 'Müller Bau GmbH',
  address: { street: 'Hauptstraße 5', postalCode: '50667', city: 'Köln', countryCode: 'de' },
  phone: '+49 221 1234567',
  locale: 'de',
};

describe('my profile', () => {
  it('is empty at first, and never cleared for invoices by the customer', async () => {
    const res = await call<Json>('GET', '/v1/me', { token: customer });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      email: 'erika@example.com',
      name: null,
      company: null,
      address: null,
      phone: null,
      locale: 'de',
      invoiceAllowed: false,
    });
  });

  it('is kept as sent; invoiceAllowed is read-only', async () => {
    const put = await call<Json>('PUT', '/v1/me', { token: customer, body: profile });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ ...profile, address: { ...profile.address, countryCode: 'DE' } });
    expect((await call<Json>('GET', '/v1/me', { token: customer })).body).toEqual(put.body);

    const sneaky = await call<Json>('PUT', '/v1/me', {
      token: customer,
      body: { ...profile, invoiceAllowed: true },
    });
    expect(sneaky.status).toBe(400);
    expect(sneaky.body.errors).toEqual([{ path: 'invoiceAllowed', message: 'unknown field' }]);
  });

  it('names every invalid field at once', async () => {
    const res = await call<Json>('PUT', '/v1/me', {
      token: customer,
      body: {
        name: '',
        address: { street: 'x', postalCode: '!', city: 'Köln', countryCode: 'Deutschland' },
        phone: '0221',
        locale: 'fr',
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: Json) => e.path).sort()).toEqual(
      ['address.countryCode', 'address.postalCode', 'address.street', 'locale', 'name', 'phone'].sort(),
    );
    expect((await call<Json>('GET', '/v1/me', { token: customer })).body.name).toBe('Erika Müller');
  });
});

describe('paying by invoice', () => {
  it('is refused to a customer until staff clear them; then they order by invoice themselves', async () => {
    const body = orderBody('erika-bau', { ownerEmail: undefined });
    const refused = await call<Json>('POST', '/v1/projects', { token: customer, body });
    expect(refused.status).toBe(403);
    expect(refused.body.errors).toEqual([
      {
        path: 'paymentMethod',
        message: '"invoice" needs role staff or admin, or a customer cleared for invoices',
      },
    ]);

    expect(
      (
        await call('PUT', '/v1/admin/customers/erika@example.com', {
          token: customer,
          body: { invoiceAllowed: true },
        })
      ).status,
    ).toBe(403);
    const cleared = await call<Json>('PUT', '/v1/admin/customers/Erika%40example.com', {
      token: staff,
      body: { invoiceAllowed: true },
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({
      email: 'erika@example.com',
      name: 'Erika Müller',
      invoiceAllowed: true,
      invoiceAllowedBy: 'staff@vrs.gmbh',
    });
    expect((await call<Json>('GET', '/v1/me', { token: customer })).body.invoiceAllowed).toBe(true);

    const ordered = await call<Json>('POST', '/v1/projects', { token: customer, body });
    expect(ordered.status, JSON.stringify(ordered.body)).toBe(201);
    expect(ordered.body.project.ownerEmail).toBe('erika@example.com');
    await waitForStatus(stack, customer, ordered.body.project.id, ['active'], 60_000);

    // Free projects stay with staff; a profile update keeps the clearance.
    const free = await call<Json>('POST', '/v1/projects', {
      token: customer,
      body: orderBody('erika-frei', { ownerEmail: undefined, paymentMethod: 'free' }),
    });
    expect(free.status).toBe(403);
    await call('PUT', '/v1/me', { token: customer, body: { ...profile, phone: null } });
    expect((await call<Json>('GET', '/v1/me', { token: customer })).body).toMatchObject({
      phone: null,
      invoiceAllowed: true,
    });
  });

  it('a clearance for somebody who never logged in creates their profile; staff can take it back', async () => {
    const res = await call<Json>('PUT', '/v1/admin/customers/neu@example.com', {
      token: staff,
      body: { invoiceAllowed: true },
    });
    expect(res.body).toMatchObject({ email: 'neu@example.com', name: null, invoiceAllowed: true });
    const back = await call<Json>('PUT', '/v1/admin/customers/neu@example.com', {
      token: staff,
      body: { invoiceAllowed: false },
    });
    expect(back.body.invoiceAllowed).toBe(false);
    const bad = await call<Json>('PUT', '/v1/admin/customers/kein-mail', {
      token: staff,
      body: { invoiceAllowed: 'ja' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: Json) => e.path).sort()).toEqual(['email', 'invoiceAllowed']);
  });
});
