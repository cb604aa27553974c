import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { useTestEnvironment } from './environment.js';
import { fakeTable } from './fake-table.js';
import { domainRecord, PROJECT_ID, projectRecord } from './stored-items.js';

// A Coolify that accepts deployments but never shows them (GET /deployments/{uuid} → 404).
const coolify = {
  deploy: vi.fn(async () => ({ deploymentUuid: 'k4o8c0w4sg0gc8ok0wk4gsc8', message: 'queued' })),
  getDeployment: vi.fn(async () => null),
};
vi.mock('../../../shared/clients/coolify-from-secret.js', () => ({ coolify: async () => coolify }));

const ddb = mockClient(DynamoDBDocumentClient);
let handler: (event: unknown) => Promise<{ poll: { done: boolean } }>;
let table: ReturnType<typeof fakeTable>;

beforeAll(async () => {
  useTestEnvironment();
  process.env.POLL_WITHIN_TASK_MS = '0';
  ({ handler } = (await import('../../../functions/tasks/check-deployment.js')) as unknown as {
    handler: typeof handler;
  });
});

beforeEach(() => {
  ddb.reset();
  vi.clearAllMocks();
  table = fakeTable(ddb);
  table.seed(projectRecord({ status: 'provisioning', coolifyDeploymentUuid: undefined }), domainRecord());
});

const check = (attempt: number) =>
  handler({
    projectId: PROJECT_ID,
    poll: { phase: 'deployment', attempt, redriveCount: 0, done: false, waitSeconds: 60 },
    redriveCount: 0,
  });

describe('StartOrCheckDeployment task', () => {
  it('counts a deployment that is not visible yet against the bound: the last check fails for staff', async () => {
    // Act: the 40th check is the last one.
    const err = await check(39).then(
      () => undefined,
      (e: unknown) => e as Error,
    );

    // Assess
    expect(err?.name).toBe('External.Coolify');
    expect(err?.message).toContain('not visible at Coolify after 40 checks');
  });

  it('keeps waiting while checks are left', async () => {
    // Act
    const out = await check(3);

    // Assess
    expect(out.poll).toMatchObject({ done: false, attempt: 4 });
  });
});
