import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { InwxClient } from '../../shared/integrations/inwx/inwx-client.js';
import { api, orderBody, startTestStack, waitForStatus } from './support/api.js';

// The admin API for servers, server selection, project lists, the provisioning plan, base domains
// and TLD prices, used as the web UI would on the local runtime. Roles: admins manage servers,
// base domains and prices; staff operate projects (and may close a server for new projects).

type Json = Record<string, unknown>;
interface Problem {
  status: number;
  detail: string;
  errors: { path: string; message: string }[];
}
interface ServerView {
  id: string;
  name: string;
  ipAddress: string;
  coolifyUuid: string;
  projectCount: number;
  maxProjects: number;
  isAcceptingNew: boolean;
  status: string;
}

let stack: LocalStack;
let call: ReturnType<typeof api>['call'];
let staff: string;
let admin: string;
let customer: string;

beforeAll(async () => {
  stack = await startTestStack({ jobIntervalMs: 0 });
  ({ call } = api(stack));
  staff = await stack.token('betrieb@vrs.gmbh', 'staff');
  admin = await stack.token('admin@vrs.gmbh', 'admin');
  customer = await stack.token('kunde@example.com', 'customer');
});
afterAll(async () => {
  await stack?.stop();
});

const servers = async () =>
  (await call<{ items: ServerView[] }>('GET', '/v1/admin/servers', { token: staff })).body.items;
async function order(subdomain: string, extra: Json = {}, token = staff): Promise<string> {
  const res = await call<{ project: { id: string } }>('POST', '/v1/projects', {
    token,
    body: orderBody(subdomain, extra),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.project.id;
}

describe('servers', () => {
  it('lists servers with their load to staff; admins add one, duplicates are 409; others get 403', async () => {
    const list = await servers();
    expect(list.map((s) => s.name)).toEqual(['fsn1-01', 'nbg1-02']);
    expect(list[0]).toMatchObject({
      id: 'srv-fsn1-01',
      coolifyUuid: 'coolify-srv-fsn1-01',
      ipAddress: '203.0.113.10',
      status: 'active',
      isAcceptingNew: true,
      maxProjects: 20,
      hetznerType: 'cx32',
      location: 'fsn1',
    });
    expect((await call('GET', '/v1/admin/servers', { token: customer })).status).toBe(403);

    const body = {
      name: 'hel1-03',
      coolifyUuid: 'coolify-hel1-03',
      ipAddress: '198.51.100.3',
      maxProjects: 30,
    };
    expect((await call('POST', '/v1/admin/servers', { token: staff, body })).status).toBe(403);
    const added = await call<ServerView>('POST', '/v1/admin/servers', { token: admin, body });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ ...body, projectCount: 0, isAcceptingNew: true, status: 'active' });
    const dupName = await call<Problem>('POST', '/v1/admin/servers', {
      token: admin,
      body: { ...body, coolifyUuid: 'other' },
    });
    expect(dupName.status).toBe(409);
    expect(dupName.body.errors).toEqual([{ path: 'name', message: 'taken' }]);
    const dupSeeded = await call<Problem>('POST', '/v1/admin/servers', {
      token: admin,
      body: { ...body, name: 'x', coolifyUuid: 'coolify-srv-nbg1-02' },
    });
    expect(dupSeeded.status).toBe(409);
    const bad = await call<Problem>('POST', '/v1/admin/servers', {
      token: admin,
      body: { name: 'Bad Name', ipAddress: '999.1.1.1', maxProjects: 0 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.path).sort()).toEqual([
      'coolifyUuid',
      'ipAddress',
      'maxProjects',
      'name',
    ]);

    // The new server is not known to the Coolify simulator: close it so no order lands there.
    const closed = await call<ServerView>('PATCH', `/v1/admin/servers/${added.body.id}`, {
      token: staff,
      body: { isAcceptingNew: false },
    });
    expect(closed.body.isAcceptingNew).toBe(false);
    expect(
      (await call('PATCH', `/v1/admin/servers/${added.body.id}`, { token: staff, body: { maxProjects: 5 } }))
        .status,
    ).toBe(403);
    const retired = await call<ServerView>('PATCH', `/v1/admin/servers/${added.body.id}`, {
      token: admin,
      body: { status: 'retired' },
    });
    expect(retired.body.status).toBe('retired');
  });
});

describe('server selection and a given server', () => {
  it('places a staff order on the server asked for; a customer may not choose (403)', async () => {
    const refused = await call<Problem>('POST', '/v1/projects', {
      token: customer,
      body: orderBody('kunde-server', {
        paymentMethod: 'stripe_prepaid',
        serverId: 'srv-nbg1-02',
        ownerEmail: undefined,
      }),
    });
    expect(refused.status).toBe(403);
    expect(refused.body.errors.map((e) => e.path)).toContain('serverId');
    const unknown = await call<Problem>('POST', '/v1/projects', {
      token: staff,
      body: orderBody('unbekannt', { serverId: 'srv-nowhere' }),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: 'serverId', message: 'no such server' }]);

    const id = await order('gewaehlt', { serverId: 'srv-nbg1-02' });
    const live = await waitForStatus(stack, staff, id, ['active', 'error'], 60_000);
    expect(live).toMatchObject({ status: 'active', serverId: 'srv-nbg1-02' });
  });

  it('round-robin (admin setting) sends consecutive orders to the open servers in turn', async () => {
    expect(
      (await call('PUT', '/v1/admin/server-selection', { token: staff, body: { strategy: 'round-robin' } }))
        .status,
    ).toBe(403);
    const set = await call<Json>('PUT', '/v1/admin/server-selection', {
      token: admin,
      body: { strategy: 'round-robin' },
    });
    expect(set.body).toMatchObject({ strategy: 'round-robin', updatedBy: 'admin@vrs.gmbh' });

    const first = await order('reihum-1');
    await waitForStatus(stack, staff, first, ['active', 'error'], 60_000);
    const second = await order('reihum-2');
    await waitForStatus(stack, staff, second, ['active', 'error'], 60_000);
    const placed = await Promise.all(
      [first, second].map(
        async (id) => (await call<Json>('GET', `/v1/projects/${id}`, { token: staff })).body.serverId,
      ),
    );
    expect(new Set(placed).size).toBe(2);
    const now = await call<Json>('GET', '/v1/admin/server-selection', { token: staff });
    expect(now.body).toMatchObject({ strategy: 'round-robin', roundRobinCounter: 2 });

    await call('PUT', '/v1/admin/server-selection', { token: admin, body: { strategy: 'least-loaded' } });
  });
});

describe('GET /v1/admin/projects', () => {
  it('filters by status, owner, server and domain through indexes, with signed cursors', async () => {
    const id = await order('filter-mich', { ownerEmail: 'filter@example.com', serverId: 'srv-fsn1-01' });
    await waitForStatus(stack, staff, id, ['active'], 60_000);
    const ids = async (query: string) =>
      (await call<{ items: Json[] }>('GET', `/v1/admin/projects?${query}`, { token: staff })).body.items.map(
        (p) => p.id,
      );

    expect(await ids('status=active&limit=200')).toContain(id);
    expect(await ids('owner=filter@example.com')).toEqual([id]);
    expect(await ids('owner=filter@example.com&status=error')).toEqual([]);
    expect(await ids('server=srv-fsn1-01&limit=200')).toContain(id);
    expect(await ids('server=srv-nbg1-02&limit=200')).not.toContain(id);
    expect(await ids('domain=filter-mich.vrs.gmbh')).toEqual([id]);
    expect(await ids('domain=nirgends.vrs.gmbh')).toEqual([]);
    const one = await call<{ items: Json[]; nextCursor: string }>(
      'GET',
      '/v1/admin/projects?status=active&limit=1',
      {
        token: staff,
      },
    );
    expect(one.body.items).toHaveLength(1);
    const next = await call<{ items: Json[] }>(
      'GET',
      `/v1/admin/projects?status=active&limit=1&cursor=${encodeURIComponent(one.body.nextCursor)}`,
      { token: staff },
    );
    expect(next.body.items[0]!.id).not.toBe(one.body.items[0]!.id);
    // The staff view carries internal references.
    const [view] = (
      await call<{ items: Json[] }>('GET', '/v1/admin/projects?domain=filter-mich.vrs.gmbh', { token: staff })
    ).body.items;
    expect(view).toMatchObject({ serverId: 'srv-fsn1-01', coolifyApplicationUuid: expect.any(String) });

    // An archive frees the slot and takes the project off the server's list.
    const count = async () => (await servers()).find((x) => x.id === 'srv-fsn1-01')!.projectCount;
    const before = await count();
    const archived = await call('POST', `/v1/admin/projects/${id}/archive`, {
      token: staff,
      body: { reason: 'Test' },
    });
    expect(archived.status).toBe(202);
    await waitForStatus(stack, staff, id, ['archived'], 60_000);
    expect(await ids('server=srv-fsn1-01&limit=200')).not.toContain(id);
    expect(await count()).toBe(before - 1);
    expect(await ids('status=archived')).toContain(id);
  });

  it('names unknown, invalid and uncombinable filters (400); customers get 403', async () => {
    const problem = async (query: string) =>
      (await call<Problem>('GET', `/v1/admin/projects?${query}`, { token: staff })).body;
    expect((await problem('status=active&colour=red')).errors).toEqual([
      { path: 'colour', message: 'unknown field' },
    ]);
    expect((await problem('status=weird&owner=nomail')).errors.map((e) => e.path).sort()).toEqual([
      'owner',
      'status',
    ]);
    expect((await problem('server=srv-fsn1-01&domain=a.vrs.gmbh')).errors.map((e) => e.path).sort()).toEqual([
      'domain',
      'server',
    ]);
    expect((await problem('')).status).toBe(400);
    expect((await problem('server=srv-none')).errors).toEqual([
      { path: 'server', message: 'no such server' },
    ]);
    expect((await problem('status=active&cursor=forged.cursor')).errors).toEqual([
      { path: 'cursor', message: 'invalid cursor' },
    ]);
    expect((await call('GET', '/v1/admin/projects?status=active', { token: customer })).status).toBe(403);
  });
});

describe('GET /v1/admin/projects/{id}/plan', () => {
  it('tells what provisioning would do for an unpaid order, and changes nothing', async () => {
    const res = await call<{ project: { id: string; status: string } }>('POST', '/v1/projects', {
      token: staff,
      body: orderBody('geplant', { paymentMethod: 'stripe_prepaid' }),
    });
    expect(res.body.project.status).toBe('pending_payment');
    const id = res.body.project.id;
    const before = await servers();

    const plan = await call<{ steps: { service: string; action: string; detail: string }[] }>(
      'GET',
      `/v1/admin/projects/${id}/plan`,
      { token: staff },
    );

    expect(plan.status).toBe(200);
    const detail = (action: string) =>
      plan.body.steps.filter((s) => s.action === action).map((s) => s.detail);
    const chosen = before.find((s) => detail('reserve-server')[0]!.startsWith(s.name))!;
    expect(chosen).toBeDefined();
    expect(detail('reserve-server')[0]).toMatch(/least loaded/);
    expect(detail('create-record')).toEqual([
      `A geplant.vrs.gmbh → ${chosen.ipAddress} (TTL 300) in zone vrs.gmbh`,
      'CNAME www.geplant.vrs.gmbh → geplant.vrs.gmbh (TTL 300) in zone vrs.gmbh',
    ]);
    expect(detail('create-application')[0]).toContain('domains https://geplant.vrs.gmbh');
    expect(detail('set-env')[0]).toContain('VRS_MARKETPLACE_KEY');
    expect(detail('health-check')[0]).toContain('geplant.vrs.gmbh');
    expect(await servers()).toEqual(before);
    expect((await call<Json>('GET', `/v1/projects/${id}`, { token: staff })).body).toMatchObject({
      status: 'pending_payment',
      serverId: null,
    });
    expect(stack.inwx.records('vrs.gmbh').some((r) => r.name === 'geplant.vrs.gmbh')).toBe(false);
    expect((await call('GET', `/v1/admin/projects/${id}/plan`, { token: customer })).status).toBe(403);
  });
});

describe('base domains and TLD prices (admin)', () => {
  it('adds a base domain, moves the default, deactivates one: no longer offered or orderable, its projects live on', async () => {
    const existing = await order('bleibt');
    await waitForStatus(stack, staff, existing, ['active'], 60_000);
    const offered = async () =>
      (await call<{ items: Json[] }>('GET', '/v1/base-domains')).body.items.map((d) => [
        d.domain,
        d.isDefault,
      ]);

    expect(
      (
        await call('POST', '/v1/admin/base-domains', {
          token: staff,
          body: { domain: 'vrs.tel', displayName: 'VRS' },
        })
      ).status,
    ).toBe(403);
    const added = await call<Json>('POST', '/v1/admin/base-domains', {
      token: admin,
      body: { domain: 'vrs.tel', displayName: 'VRS Telefonbuch' },
    });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      domain: 'vrs.tel',
      displayName: 'VRS Telefonbuch',
      isDefault: false,
      isActive: true,
    });
    expect(
      (
        await call('POST', '/v1/admin/base-domains', {
          token: admin,
          body: { domain: 'vrs.tel', displayName: 'x' },
        })
      ).status,
    ).toBe(409);

    const refused = await call<Problem>('PATCH', '/v1/admin/base-domains/vrs.gmbh', {
      token: admin,
      body: { isActive: false },
    });
    expect(refused.status).toBe(409);
    expect(
      (await call('PATCH', '/v1/admin/base-domains/vrs.tel', { token: admin, body: { isDefault: true } }))
        .status,
    ).toBe(200);
    expect(await offered()).toEqual([
      ['vrs.gmbh', false],
      ['vrs.tel', true],
    ]);
    const off = await call<Json>('PATCH', '/v1/admin/base-domains/vrs.gmbh', {
      token: admin,
      body: { isActive: false },
    });
    expect(off.body).toMatchObject({ isActive: false, isDefault: false });
    expect(await offered()).toEqual([['vrs.tel', true]]);

    const rejected = await call<Problem>('POST', '/v1/projects', {
      token: staff,
      body: orderBody('zu-spaet'),
    });
    expect(rejected.status).toBe(400);
    expect(rejected.body.errors).toEqual([
      { path: 'domain.baseDomain', message: expect.stringContaining('vrs.gmbh') },
    ]);
    // A base domain's zone must exist at INWX (docs/operations.md): the admin creates it there.
    const inwx = new InwxClient({ url: `${stack.url}/sim/inwx/xmlrpc/`, user: 'test', pass: 'test' });
    await inwx.createZone('vrs.tel');
    await inwx.logout();
    const onTel = await order('neu', { domain: { type: 'subdomain', subdomain: 'neu' } });
    const telProject = await waitForStatus(stack, staff, onTel, ['active', 'error'], 60_000);
    expect(telProject).toMatchObject({
      status: 'active',
      domains: [expect.objectContaining({ domain: 'neu.vrs.tel' })],
    });
    expect((await call<Json>('GET', `/v1/projects/${existing}`, { token: staff })).body.status).toBe(
      'active',
    );

    // Back as it was, for anyone reading this stack's catalog later.
    await call('PATCH', '/v1/admin/base-domains/vrs.gmbh', {
      token: admin,
      body: { isActive: true, isDefault: true },
    });
    expect(await offered()).toEqual([
      ['vrs.gmbh', true],
      ['vrs.tel', false],
    ]);
  });

  it('TLD prices: staff read them, only admins change them', async () => {
    expect((await call('GET', '/v1/admin/tld-prices', { token: staff })).status).toBe(200);
    const body = { registerCents: 1300, renewCents: 1300, transferCents: 1300 };
    expect((await call('PUT', '/v1/admin/tld-prices/de', { token: staff, body })).status).toBe(403);
    expect((await call('PUT', '/v1/admin/tld-prices/de', { token: admin, body })).status).toBe(200);
  });
});
