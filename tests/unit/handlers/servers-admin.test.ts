import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestTable, type TestTable } from '../../support/dynamo-table.js';
import { apiRequest, type Claims, jsonBody, problemOf, STAFF_CLAIMS } from './api-request.js';
import { TABLE_NAME, useTestEnvironment } from './environment.js';
import { PROJECT_ID, projectRecord, type StoredItem } from './stored-items.js';

// Servers and base domains (admin) against the real table (DynamoDB Local): the conditions that
// keep capacity, uniqueness and the one default true are DynamoDB's own, also under races.

type Handler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
let addServer: Handler;
let changeServer: Handler;
let changeBaseDomain: Handler;
let reserve: (event: unknown) => Promise<{ projectId: string; serverId: string }>;
let table: TestTable;

const ADMIN_CLAIMS: Claims = { ...STAFF_CLAIMS, 'cognito:groups': '[admin]', email: 'admin@vrs.gmbh' };

const server = (id: string, fields: Record<string, unknown> = {}): StoredItem => ({
  pk: `SERVER#${id}`,
  sk: 'SERVER',
  gsi1pk: 'SERVERS',
  gsi1sk: id,
  entity: 'Server',
  id,
  name: id,
  status: 'active',
  isAcceptingNew: true,
  projectCount: 3,
  maxProjects: 20,
  coolifyUuid: `coolify-${id}`,
  ipAddress: '203.0.113.10',
  sshPort: 22,
  createdAt: '2025-01-10T09:00:00.000Z',
  updatedAt: '2025-01-10T09:00:00.000Z',
  ...fields,
});
const baseDomain = (domain: string, isDefault: boolean, isActive = true): StoredItem => ({
  pk: 'CATALOG',
  sk: `BASEDOMAIN#${domain}`,
  entity: 'BaseDomain',
  domain,
  displayName: domain,
  isDefault,
  isActive,
  sortOrder: 1,
});

beforeAll(async () => {
  useTestEnvironment();
  table = await startTestTable(TABLE_NAME);
  ({ handler: addServer } = await import('../../../functions/api/add-server.js'));
  ({ handler: changeServer } = await import('../../../functions/api/change-server.js'));
  ({ handler: changeBaseDomain } = await import('../../../functions/api/change-base-domain.js'));
  ({ handler: reserve } = (await import('../../../functions/tasks/reserve-server.js')) as unknown as {
    handler: typeof reserve;
  });
});
afterAll(async () => {
  await table?.stop();
});
beforeEach(async () => {
  await table.clearAll();
});

const patch = (id: string, body: unknown, claims: Claims = ADMIN_CLAIMS) =>
  changeServer(
    apiRequest({
      route: 'PATCH /v1/admin/servers/{id}',
      path: `/v1/admin/servers/${id}`,
      pathParameters: { id },
      body,
      claims,
    }),
  );
const add = (body: unknown, claims: Claims = ADMIN_CLAIMS) =>
  addServer(apiRequest({ route: 'POST /v1/admin/servers', body, claims }));
const stored = async (id: string) => (await table.get({ pk: `SERVER#${id}`, sk: 'SERVER' }))!;

describe('PATCH /v1/admin/servers/{id}', () => {
  it('refuses maxProjects below projectCount and retiring a server with projects (409 naming how many)', async () => {
    await table.seed(server('fsn1-01', { projectCount: 3 }));

    const lower = problemOf(await patch('fsn1-01', { maxProjects: 2 }));
    const retire = problemOf(await patch('fsn1-01', { status: 'retired' }));

    expect(lower.statusCode).toBe(409);
    expect(lower.problem.errors).toEqual([
      { path: 'maxProjects', message: expect.stringContaining('3 projects') },
    ]);
    expect(retire.statusCode).toBe(409);
    expect(retire.problem.detail).toContain('3 projects would be orphaned');
    expect(await stored('fsn1-01')).toMatchObject({ maxProjects: 20, status: 'active' });
  });

  it('lets staff close a server for new projects, but not change its capacity or status (403)', async () => {
    await table.seed(server('fsn1-01'));

    const closed = await patch('fsn1-01', { isAcceptingNew: false }, STAFF_CLAIMS);
    const resized = problemOf(
      await patch('fsn1-01', { maxProjects: 30, isAcceptingNew: true }, STAFF_CLAIMS),
    );

    expect(closed.statusCode).toBe(200);
    expect(jsonBody(closed)).toMatchObject({ id: 'fsn1-01', isAcceptingNew: false, projectCount: 3 });
    expect(resized.statusCode).toBe(403);
    expect(resized.problem.errors.map((e) => e.path)).toEqual(['maxProjects']);
    expect(await stored('fsn1-01')).toMatchObject({ isAcceptingNew: false, maxProjects: 20 });
  });

  it('retires an empty server; 404 for an unknown one; 400 naming every invalid field', async () => {
    await table.seed(server('empty', { projectCount: 0 }));

    expect(jsonBody(await patch('empty', { status: 'retired' }))).toMatchObject({ status: 'retired' });
    expect((await patch('nope', { isAcceptingNew: true })).statusCode).toBe(404);
    const bad = problemOf(await patch('empty', { maxProjects: 0, status: 'gone', extra: 1 }));
    expect(bad.statusCode).toBe(400);
    expect(bad.problem.errors.map((e) => e.path).sort()).toEqual(['extra', 'maxProjects', 'status']);
  });

  it('never lets a reservation and a lower maxProjects together push projectCount above maxProjects', async () => {
    for (let round = 0; round < 5; round++) {
      await table.clearAll();
      await table.seed(
        server('tight', { projectCount: 4, maxProjects: 5 }),
        projectRecord({ status: 'pending_domain', serverId: undefined }),
      );

      const [lowered, reserved] = await Promise.all([
        patch('tight', { maxProjects: 4 }),
        reserve({ projectId: PROJECT_ID }).then(
          () => 'ok',
          (e: Error) => e.name,
        ),
      ]);

      const s = await stored('tight');
      expect(s.projectCount as number).toBeLessThanOrEqual(s.maxProjects as number);
      if (lowered.statusCode === 200) expect(reserved).toBe('Provisioning.NoFreeServer');
      else expect([lowered.statusCode, reserved, s.projectCount]).toEqual([409, 'ok', 5]);
    }
  });
});

describe('POST /v1/admin/servers', () => {
  const body = {
    name: 'hel1-03',
    coolifyUuid: 'c-hel1-03',
    ipAddress: '198.51.100.7',
    maxProjects: 25,
    hetznerType: 'cx42',
    location: 'hel1',
  };

  it('adds a server open for projects; staff get 403', async () => {
    const res = await add(body);
    expect(res.statusCode).toBe(201);
    expect(jsonBody(res)).toMatchObject({
      name: 'hel1-03',
      status: 'active',
      isAcceptingNew: true,
      projectCount: 0,
      hetznerType: 'cx42',
      location: 'hel1',
    });
    expect((await add({ ...body, name: 'other', coolifyUuid: 'other' }, STAFF_CLAIMS)).statusCode).toBe(403);
  });

  it('refuses a duplicate name or Coolify uuid (409), also when both arrive at once', async () => {
    const [a, b] = await Promise.all([add(body), add({ ...body, coolifyUuid: 'c-else' })]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    // Either request may win the name; the winner's uuid is the taken one.
    const winnerUuid = a.statusCode === 201 ? body.coolifyUuid : 'c-else';
    const sameUuid = problemOf(await add({ ...body, name: 'hel1-04', coolifyUuid: winnerUuid }));
    expect(sameUuid.statusCode).toBe(409);
    expect(sameUuid.problem.errors).toEqual([{ path: 'coolifyUuid', message: 'taken' }]);
    expect(await table.query('SERVERNAME#hel1-03')).toHaveLength(1);
  });
});

describe('PATCH /v1/admin/base-domains/{domain}', () => {
  const change = (domain: string, body: unknown) =>
    changeBaseDomain(
      apiRequest({
        route: 'PATCH /v1/admin/base-domains/{domain}',
        path: `/v1/admin/base-domains/${domain}`,
        pathParameters: { domain },
        body,
        claims: ADMIN_CLAIMS,
      }),
    );
  const defaults = async () =>
    (await table.query('CATALOG', 'BASEDOMAIN#')).filter((d) => d.isDefault).map((d) => d.domain);

  it('keeps exactly one default when two switches race', async () => {
    await table.seed(
      baseDomain('vrs.gmbh', true),
      baseDomain('vrs.tel', false),
      baseDomain('vrs.shop', false),
    );

    const results = await Promise.all([
      change('vrs.tel', { isDefault: true }),
      change('vrs.shop', { isDefault: true }),
    ]);

    expect(results.map((r) => r.statusCode)).toContain(200);
    expect(await defaults()).toHaveLength(1);
  });

  it('refuses to deactivate the default (409) and deactivates another', async () => {
    await table.seed(baseDomain('vrs.gmbh', true), baseDomain('vrs.tel', false));
    expect((await change('vrs.gmbh', { isActive: false })).statusCode).toBe(409);
    expect(jsonBody(await change('vrs.tel', { isActive: false }))).toMatchObject({
      isActive: false,
      isDefault: false,
    });
    expect(await defaults()).toEqual(['vrs.gmbh']);
  });
});
