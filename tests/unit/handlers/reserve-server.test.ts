import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useTestEnvironment } from './environment.js';
import { fakeTable } from './fake-table.js';
import { PROJECT_ID, projectRecord } from './stored-items.js';

const ddb = mockClient(DynamoDBDocumentClient);
let handler: (event: unknown) => Promise<unknown>;
let table: ReturnType<typeof fakeTable>;

const server = (name: string, fields: Record<string, unknown>) => ({
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
  ...fields,
});

beforeAll(async () => {
  useTestEnvironment();
  ({ handler } = await import('../../../functions/tasks/reserve-server.js'));
});

beforeEach(() => {
  ddb.reset();
  table = fakeTable(ddb);
});

describe('ReserveServer task', () => {
  it('fails as Provisioning.NoFreeServer (not a Coolify error) when every server is full or closed', async () => {
    // Prepare
    table.seed(projectRecord({ status: 'pending_domain', serverId: undefined }));
    ddb.on(QueryCommand, { IndexName: 'gsi1' }).resolves({
      Items: [server('full', {}), server('closed', { projectCount: 0, isAcceptingNew: false })],
    });

    // Act
    const err = await handler({ projectId: PROJECT_ID }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );

    // Assess: the name Step Functions reports and the reason staff read in provisioningError.
    expect(err?.name).toBe('Provisioning.NoFreeServer');
    expect(err?.message).toBe('no free server: add or open a server, then retry');
  });
});
