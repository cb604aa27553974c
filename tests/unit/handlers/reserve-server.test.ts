import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestTable, type TestTable } from '../../support/dynamo-table.js';
import { TABLE_NAME, useTestEnvironment } from './environment.js';
import { PROJECT_ID, projectRecord, type StoredItem } from './stored-items.js';

// The ReserveServer task against the real table (DynamoDB Local): the slot is taken by a
// transaction whose conditions are DynamoDB's own.

let handler: (event: unknown) => Promise<{ projectId: string; serverId: string }>;
let table: TestTable;
const OTHER_PROJECT_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

const server = (name: string, fields: Record<string, unknown>): StoredItem => ({
  pk: `SERVER#${name}`,
  sk: 'SERVER',
  gsi1pk: 'SERVERS',
  gsi1sk: name,
  entity: 'Server',
  id: name,
  name,
  status: 'active',
  isAcceptingNew: true,
  projectCount: 20,
  maxProjects: 20,
  coolifyUuid: `coolify-${name}`,
  ipAddress: '203.0.113.10',
  sshPort: 22,
  createdAt: '2025-01-10T09:00:00.000Z',
  updatedAt: '2025-01-10T09:00:00.000Z',
  ...fields,
});
const waitingProject = (id = PROJECT_ID) =>
  projectRecord({ id, status: 'pending_domain', serverId: undefined, slug: `mueller-${id.slice(0, 4)}` });

beforeAll(async () => {
  useTestEnvironment();
  table = await startTestTable(TABLE_NAME);
  ({ handler } = (await import('../../../functions/tasks/reserve-server.js')) as unknown as {
    handler: typeof handler;
  });
});
afterAll(async () => {
  await table?.stop();
});

beforeEach(async () => {
  await table.clearAll();
});

const reserve = (projectId = PROJECT_ID) =>
  handler({ projectId }).then(
    (out) => ({ out, err: undefined }),
    (e: unknown) => ({ out: undefined, err: e as Error }),
  );
/** A project's or a server's own item (its sk is its pk's prefix: PROJECT, SERVER). */
const stored = async (pk: string) => (await table.get({ pk, sk: pk.split('#')[0]! }))!;

describe('ReserveServer task', () => {
  it('fails as Provisioning.NoFreeServer (not a Coolify error) when every server is full or closed', async () => {
    // Prepare
    await table.seed(
      waitingProject(),
      server('full', {}),
      server('closed', { projectCount: 0, isAcceptingNew: false }),
    );

    // Act
    const { err } = await reserve();

    // Assess: the name Step Functions reports and the reason staff read in provisioningError.
    expect(err?.name).toBe('Provisioning.NoFreeServer');
    expect(err?.message).toBe('no free server: add or open a server, then retry');
    expect((await stored(`PROJECT#${PROJECT_ID}`)).serverId).toBeUndefined();
    expect((await stored('SERVER#closed')).projectCount).toBe(0);
  });

  it('takes a slot on the least-loaded server and records it on the project', async () => {
    // Prepare
    await table.seed(
      waitingProject(),
      server('busy', { projectCount: 15 }),
      server('quiet', { projectCount: 3 }),
    );

    // Act
    const { out } = await reserve();

    // Assess
    expect(out).toEqual({ projectId: PROJECT_ID, serverId: 'quiet' });
    expect((await stored(`PROJECT#${PROJECT_ID}`)).serverId).toBe('quiet');
    expect((await stored('SERVER#quiet')).projectCount).toBe(4);
    expect((await stored('SERVER#busy')).projectCount).toBe(15);
    expect(await table.query(`PROJECT#${PROJECT_ID}`, 'LOG#')).toEqual([
      expect.objectContaining({ action: 'server_assigned', externalId: 'coolify-quiet' }),
    ]);
  });

  it('takes one slot when the task runs twice for the same project', async () => {
    // Prepare
    await table.seed(waitingProject(), server('quiet', { projectCount: 3 }));

    // Act
    const first = await reserve();
    const second = await reserve();

    // Assess
    expect(second.out).toEqual(first.out);
    expect((await stored('SERVER#quiet')).projectCount).toBe(4);
  });

  it('gives the last free slot to one of two projects; the other fails as NoFreeServer', async () => {
    // Prepare
    await table.seed(
      waitingProject(),
      waitingProject(OTHER_PROJECT_ID),
      server('last', { projectCount: 19 }),
    );

    // Act
    const results = await Promise.all([reserve(), reserve(OTHER_PROJECT_ID)]);

    // Assess
    expect(results.filter((r) => r.out?.serverId === 'last')).toHaveLength(1);
    expect(results.map((r) => r.err?.name).filter(Boolean)).toEqual(['Provisioning.NoFreeServer']);
    expect((await stored('SERVER#last')).projectCount).toBe(20);
    const assigned = [
      (await stored(`PROJECT#${PROJECT_ID}`)).serverId,
      (await stored(`PROJECT#${OTHER_PROJECT_ID}`)).serverId,
    ];
    expect(assigned.filter(Boolean)).toEqual(['last']);
  });
});

describe('ReserveServer by configuration', () => {
  const selection = (strategy: string, roundRobinCounter = 0): StoredItem => ({
    pk: 'SETTINGS#server-selection',
    sk: 'SETTINGS',
    strategy,
    roundRobinCounter,
  });
  const ids = Array.from({ length: 6 }, (_, i) => `0000000${i}-5e4f-4a3b-8c2d-1e0f9a8b7c6d`);

  it('round-robin: concurrent reservations draw their own tickets and spread over the open servers', async () => {
    // Prepare: three equally loaded servers; least-loaded would send everything to one of them first.
    await table.seed(
      selection('round-robin'),
      server('a', { projectCount: 0 }),
      server('b', { projectCount: 0 }),
      server('c', { projectCount: 0 }),
      ...ids.map((id) => waitingProject(id)),
    );

    // Act
    const results = await Promise.all(ids.map((id) => reserve(id)));

    // Assess: two each, and the counter moved on once per reservation.
    expect(results.map((r) => r.err)).toEqual(ids.map(() => undefined));
    expect([
      (await stored('SERVER#a')).projectCount,
      (await stored('SERVER#b')).projectCount,
      (await stored('SERVER#c')).projectCount,
    ]).toEqual([2, 2, 2]);
    expect((await table.get({ pk: 'SETTINGS#server-selection', sk: 'SETTINGS' }))?.roundRobinCounter).toBe(6);
    // Each slot has its item in the server's collection (GET /v1/admin/projects?server=).
    expect((await table.query('SERVER#a', 'PROJECT#')).length).toBe(2);
  });

  it('a server staff requested for the order: a slot there, or NoFreeServer naming it — never another server', async () => {
    await table.seed(
      projectRecord({
        id: PROJECT_ID,
        status: 'pending_domain',
        serverId: undefined,
        requestedServerId: 'busy',
        slug: 'a1',
      }),
      projectRecord({
        id: OTHER_PROJECT_ID,
        status: 'pending_domain',
        serverId: undefined,
        requestedServerId: 'full',
        slug: 'b1',
      }),
      server('busy', { projectCount: 15 }),
      server('quiet', { projectCount: 0 }),
      server('full', {}),
    );

    const placed = await reserve(PROJECT_ID);
    const refused = await reserve(OTHER_PROJECT_ID);

    expect(placed.out?.serverId).toBe('busy');
    expect(refused.err?.name).toBe('Provisioning.NoFreeServer');
    expect(refused.err?.message).toMatch(/no free server: server full, requested for this order/);
    expect((await stored('SERVER#quiet')).projectCount).toBe(0);
  });
});
