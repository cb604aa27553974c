import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { api, orderBody, startTestStack, waitForStatus } from './support/api.js';
import { type Json, until } from './support/domains.js';

// Staff change licenses by hand and mark invoices paid, on the local runtime: a suspended license's
// plugin is refused to the satellite and served again once activated; an extension moves the
// expiry and the history shows who; customers are refused; bad bodies are named field by field;
// one invoice reference extends once, and a suspended project is resumed by the payment.

let stack: LocalStack;
let call: ReturnType<typeof api>['call'];
let staff: string;
let owner: string;
const STAFF_EMAIL = 'lizenzen@vrs.gmbh';

beforeAll(async () => {
  // No scheduled jobs: only the test acts.
  stack = await startTestStack({ jobIntervalMs: 0 });
  ({ call } = api(stack));
  staff = await stack.token(STAFF_EMAIL, 'staff');
  owner = await stack.token('owner@example.com', 'customer');
});
afterAll(async () => {
  // A satellite that was started last may still be bootstrapping through the API: let it finish first.
  if (stack) await until(() => stack.satellites.list().every((s) => s.state !== 'bootstrapping'), 10_000);
  await stack?.stop();
});

const appOf = (id: string) =>
  stack.coolify.applications().find((a) => a.envs.some((e) => e.key === 'VRS_PROJECT_ID' && e.value === id));
const keyOf = (id: string) => appOf(id)?.envs.find((e) => e.key === 'VRS_MARKETPLACE_KEY')?.value ?? '';
const satelliteOf = (id: string) => stack.satellites.list().find((s) => s.projectId === id);
const download = async (key: string, plugin: string) =>
  (await call('POST', `/v1/plugins/${plugin}/download`, { apiKey: key })).status;
const putLicense = (id: string, plugin: string, body: unknown, token = staff) =>
  call<Json>('PUT', `/v1/admin/projects/${id}/licenses/${plugin}`, { token, body });
const historyOf = async (id: string, plugin: string, query = '') => {
  const res = await call<Json>('GET', `/v1/admin/projects/${id}/licenses/${plugin}/history${query}`, {
    token: staff,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { items: Json[]; nextCursor: string | null };
};
const licensesOf = async (id: string) =>
  Object.fromEntries(
    ((await call<Json>('GET', `/v1/projects/${id}`, { token: staff })).body.licenses as Json[]).map((l) => [
      l.plugin,
      l,
    ]),
  ) as Record<string, Json>;
const pay = (id: string, body: unknown) =>
  call<Json>('POST', `/v1/admin/projects/${id}/invoice-payments`, { token: staff, body });

/** Orders a subdomain project by invoice and waits until it is active and its satellite healthy. */
async function liveProject(subdomain: string, name: string): Promise<string> {
  const res = await call<Json>('POST', '/v1/projects', {
    token: staff,
    body: orderBody(subdomain, { name }),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const id = res.body.project.id as string;
  await waitForStatus(stack, staff, id, ['active']);
  await until(() => satelliteOf(id)?.state === 'healthy', 10_000, `${name}'s satellite healthy`);
  return id;
}

describe('staff change one license', () => {
  let id: string;
  let key: string;

  beforeAll(async () => {
    id = await liveProject('lizenzen', 'Lizenz Kanzlei');
    key = keyOf(id);
  });

  it('suspends a license: the satellite may no longer download that plugin; activating allows it again', async () => {
    expect(await download(key, 'kontakt')).toBe(200);

    const suspended = await putLicense(id, 'kontakt', { action: 'suspend', reason: 'Lizenzprüfung' });
    expect(suspended.status, JSON.stringify(suspended.body)).toBe(200);
    expect(suspended.body).toMatchObject({ plugin: 'kontakt', status: 'suspended', billingCycle: 'monthly' });
    expect(await download(key, 'kontakt')).toBe(403);
    expect(await download(key, 'directory')).toBe(200);

    const activated = await putLicense(id, 'kontakt', { action: 'activate', reason: 'geprüft, in Ordnung' });
    expect(activated.status, JSON.stringify(activated.body)).toBe(200);
    expect(activated.body.status).toBe('active');
    expect(await download(key, 'kontakt')).toBe(200);
  });

  it('extends by one billing cycle, and the history shows who did what, newest first', async () => {
    const before = (await licensesOf(id)).kontakt!.expiresAt as string;

    const res = await putLicense(id, 'kontakt', { action: 'extend', reason: 'Kulanz für Ausfall' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const after = res.body.expiresAt as string;
    const days = (Date.parse(after) - Date.parse(before)) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(28);
    expect(days).toBeLessThanOrEqual(31);
    expect((await licensesOf(id)).kontakt).toMatchObject({ status: 'active', expiresAt: after });

    const history = await historyOf(id, 'kontakt');
    expect(history.nextCursor).toBeNull();
    expect(history.items.map((h) => [h.action, h.oldStatus, h.newStatus, h.triggeredBy])).toEqual([
      ['extended', 'active', 'active', STAFF_EMAIL],
      ['activated', 'suspended', 'active', STAFF_EMAIL],
      ['suspended', 'active', 'suspended', STAFF_EMAIL],
      ['created', null, 'active', STAFF_EMAIL],
    ]);
    expect(history.items[0]).toMatchObject({
      oldExpiresAt: before,
      newExpiresAt: after,
      reason: 'Kulanz für Ausfall',
    });

    // Paged: one at a time, with a cursor that holds only for this license's list.
    const first = await historyOf(id, 'kontakt', '?limit=1');
    expect(first.items.map((h) => h.action)).toEqual(['extended']);
    const second = await historyOf(
      id,
      'kontakt',
      `?limit=1&cursor=${encodeURIComponent(first.nextCursor ?? '')}`,
    );
    expect(second.items.map((h) => h.action)).toEqual(['activated']);
    const replayed = await call<Json>(
      'GET',
      `/v1/admin/projects/${id}/licenses/directory/history?cursor=${encodeURIComponent(first.nextCursor ?? '')}`,
      { token: staff },
    );
    expect(replayed.status).toBe(400);
  });

  it('refuses customers (403) — also the owner — and names every invalid field (400)', async () => {
    const customer = await putLicense(id, 'kontakt', { action: 'suspend', reason: 'x' }, owner);
    expect(customer.status).toBe(403);
    const ownHistory = await call('GET', `/v1/admin/projects/${id}/licenses/kontakt/history`, {
      token: owner,
    });
    expect(ownHistory.status).toBe(403);

    const bad = await putLicense(id, 'kontakt', { action: 'delete', until: 'nächsten Monat', reason: '' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect((bad.body.errors as Json[]).map((e) => e.path).sort()).toEqual(['action', 'reason', 'until']);

    const shorter = await putLicense(id, 'kontakt', {
      action: 'extend',
      until: new Date(Date.now() + 86_400_000).toISOString(),
      reason: 'kürzer',
    });
    expect(shorter.status).toBe(422);
    expect(shorter.body.detail).toContain('nothing shortens a license');
    expect((await putLicense(id, 'crm', { action: 'activate', reason: 'x' })).status).toBe(404);
    expect((await historyOf(id, 'kontakt')).items).toHaveLength(4);
  });
});

describe('staff mark an invoice paid', () => {
  let id: string;

  beforeAll(async () => {
    id = await liveProject('rechnung', 'Rechnung Kanzlei');
  });

  it('extends every recurring license once per reference, with history naming staff and the invoice', async () => {
    const before = await licensesOf(id);

    const [first, concurrent] = await Promise.all([
      pay(id, { reference: 'RE-2025-100' }),
      pay(id, { reference: 'RE-2025-100' }),
    ]);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(concurrent.status, JSON.stringify(concurrent.body)).toBe(200);
    const again = await pay(id, { reference: 'RE-2025-100' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(concurrent.body).toEqual(first.body);

    const after = await licensesOf(id);
    for (const plugin of ['directory', 'kontakt']) {
      const days =
        (Date.parse(after[plugin]!.expiresAt as string) - Date.parse(before[plugin]!.expiresAt as string)) /
        86_400_000;
      expect(days, plugin).toBeGreaterThanOrEqual(28);
      expect(days, plugin).toBeLessThanOrEqual(31);
    }
    const extended = (await historyOf(id, 'kontakt')).items.filter((h) => h.action === 'extended');
    expect(extended).toEqual([
      expect.objectContaining({
        triggeredBy: STAFF_EMAIL,
        reference: 'RE-2025-100',
        reason: 'Invoice RE-2025-100 paid',
      }),
    ]);

    // The same reference for another period is another payment: it needs its own reference.
    const other = await pay(id, { reference: 'RE-2025-100', paidUntil: '2099-01-01T00:00:00Z' });
    expect(other.status).toBe(409);
    const bad = await pay(id, { reference: '', paidUntil: 'bald' });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as Json[]).map((e) => e.path).sort()).toEqual(['paidUntil', 'reference']);
  });

  it('resumes a suspended project once paid', async () => {
    const suspend = await call<Json>('POST', `/v1/admin/projects/${id}/suspend`, {
      token: staff,
      body: { reason: 'Rechnung RE-2025-101 offen' },
    });
    expect(suspend.status, JSON.stringify(suspend.body)).toBe(202);
    await stack.stepFunctions.waitForExecution(suspend.body.executionArn as string, 30_000);
    await waitForStatus(stack, staff, id, ['suspended']);

    const res = await pay(id, { reference: 'RE-2025-101' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.resume).toMatchObject({
      action: 'resume',
      executionArn: expect.stringContaining('resume-project'),
    });
    const done = await stack.stepFunctions.waitForExecution((res.body.resume as Json).executionArn, 30_000);
    expect(done.status, `${done.error ?? ''} ${done.cause ?? ''}`).toBe('SUCCEEDED');
    await waitForStatus(stack, staff, id, ['active']);
    const licenses = await licensesOf(id);
    expect(Object.values(licenses).map((l) => l.status)).toEqual(['active', 'active']);
  });

  it('answers 409 for a project that is not paid by invoice', async () => {
    const free = await call<Json>('POST', '/v1/projects', {
      token: staff,
      body: orderBody('gratis', { name: 'Gratis Verein', paymentMethod: 'free' }),
    });
    expect(free.status, JSON.stringify(free.body)).toBe(201);
    const freeId = free.body.project.id as string;
    await waitForStatus(stack, staff, freeId, ['active']);

    const res = await pay(freeId, { reference: 'RE-2025-102' });
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain('not by invoice');
  });
});
