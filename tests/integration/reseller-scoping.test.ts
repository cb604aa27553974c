import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { api, orderBody, startTestStack } from './support/api.js';
import type { Json } from './support/domains.js';

// A reseller orders for its own customers and sees only those projects (issue: Staff operations,
// "Roles and scoping"); the customer sees the project too; another reseller and other customers
// get the same 404 as for a project that does not exist.

let stack: LocalStack;
let call: ReturnType<typeof api>['call'];

beforeAll(async () => {
  stack = await startTestStack({ jobIntervalMs: 0 });
  ({ call } = api(stack));
});
afterAll(async () => {
  await stack?.stop();
});

describe('a reseller', () => {
  it('orders for its customer and sees and manages only the projects it ordered', async () => {
    const reseller = await stack.token('agentur@example.com', 'reseller');
    const other = await stack.token('andere-agentur@example.com', 'reseller');
    const kunde = await stack.token('kunde-der-agentur@example.com', 'customer');
    const stranger = await stack.token('fremd@example.com', 'customer');
    const staff = await stack.token('staff@vrs.gmbh', 'staff');

    // Ordered by staff for the same customer: not the reseller's.
    const byStaff = await call<Json>('POST', '/v1/projects', {
      token: staff,
      body: orderBody('agentur-staff', { ownerEmail: 'kunde-der-agentur@example.com' }),
    });
    expect(byStaff.status).toBe(201);
    const resold = await call<Json>('POST', '/v1/projects', {
      token: reseller,
      body: orderBody('agentur-kunde', {
        ownerEmail: 'kunde-der-agentur@example.com',
        paymentMethod: 'stripe_prepaid',
      }),
    });
    expect(resold.status, JSON.stringify(resold.body)).toBe(201);
    const id = resold.body.project.id as string;
    expect(resold.body.project.ownerEmail).toBe('kunde-der-agentur@example.com');

    const list = await call<Json>('GET', '/v1/projects', { token: reseller });
    expect(list.status).toBe(200);
    expect(list.body.items.map((p: Json) => p.id)).toEqual([id]);
    expect((await call('GET', `/v1/projects/${id}`, { token: reseller })).status).toBe(200);
    expect((await call('GET', `/v1/projects/${id}/logs`, { token: reseller })).status).toBe(200);
    // The customer owns it and sees both of its projects.
    const mine = await call<Json>('GET', '/v1/projects', { token: kunde });
    expect(mine.body.items.map((p: Json) => p.id).sort()).toEqual([id, byStaff.body.project.id].sort());
    // Nobody else, not even another reseller or the project the staff ordered.
    expect((await call('GET', `/v1/projects/${id}`, { token: other })).status).toBe(404);
    expect((await call('GET', `/v1/projects/${id}`, { token: stranger })).status).toBe(404);
    expect((await call('GET', `/v1/projects/${byStaff.body.project.id}`, { token: reseller })).status).toBe(
      404,
    );
    expect((await call<Json>('GET', '/v1/projects', { token: other })).body.items).toEqual([]);
  });
});
