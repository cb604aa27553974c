import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTestTable, type TestTable } from '../../support/dynamo-table.js';
import { TABLE_NAME, useTestEnvironment } from './environment.js';
import { domainRecord, PROJECT_ID, projectRecord } from './stored-items.js';

// The StartOrCheckDeployment task against the real table (DynamoDB Local), with a Coolify that
// accepts deployments but never shows them (GET /deployments/{uuid} → 404).

const DEPLOYMENT_UUID = 'k4o8c0w4sg0gc8ok0wk4gsc8';
const coolify = {
  deploy: vi.fn(async () => ({ deploymentUuid: DEPLOYMENT_UUID, message: 'queued' })),
  getDeployment: vi.fn(async () => null),
};
vi.mock('../../../shared/integrations/coolify/from-secret.js', () => ({ coolify: async () => coolify }));

let handler: (event: unknown) => Promise<{ poll: { done: boolean } }>;
let table: TestTable;
const PROJECT_KEY = { pk: `PROJECT#${PROJECT_ID}`, sk: 'PROJECT' };

beforeAll(async () => {
  useTestEnvironment();
  process.env.POLL_WITHIN_TASK_MS = '0';
  table = await startTestTable(TABLE_NAME);
  ({ handler } = (await import('../../../functions/tasks/start-or-check-deployment.js')) as unknown as {
    handler: typeof handler;
  });
});
afterAll(async () => {
  await table?.stop();
});

beforeEach(async () => {
  vi.clearAllMocks();
  await table.clear(PROJECT_KEY.pk);
  await table.seed(
    projectRecord({ status: 'provisioning', coolifyDeploymentUuid: undefined }),
    domainRecord(),
  );
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
    // The deployment it queued stays recorded, so a redrive looks for it before deploying again.
    expect((await table.get(PROJECT_KEY))?.coolifyDeploymentUuid).toBe(DEPLOYMENT_UUID);
  });

  it('keeps waiting while checks are left', async () => {
    // Act
    const out = await check(3);

    // Assess
    expect(out.poll).toMatchObject({ done: false, attempt: 4 });
    expect((await table.get(PROJECT_KEY))?.status).toBe('provisioning');
    expect(await table.query(PROJECT_KEY.pk, 'LOG#')).toEqual([
      expect.objectContaining({ action: 'deployment_started', externalId: DEPLOYMENT_UUID }),
    ]);
  });
});
