import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestTable, type TestTable } from '../../support/dynamo-table.js';
import { TABLE_NAME, useTestEnvironment } from './environment.js';
import { domainRecord, PROJECT_ID, projectRecord } from './stored-items.js';

// The CheckSatelliteHealth task against the real table (DynamoDB Local) and a local satellite.

let handler: (event: unknown) => Promise<{ poll: { done: boolean } }>;
let table: TestTable;
let satellite: Server;
const PROJECT_PK = `PROJECT#${PROJECT_ID}`;

// The satellite's domain redirects its health endpoint to a login page that answers 200, as a
// proxy or a half-configured app might.
beforeAll(async () => {
  satellite = createServer((req, res) => {
    if (req.url?.endsWith('/health')) res.writeHead(302, { location: '/login' }).end();
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<form>login</form>');
  });
  await new Promise<void>((resolve) => satellite.listen(0, '127.0.0.1', resolve));
  const { port } = satellite.address() as AddressInfo;
  useTestEnvironment();
  Object.assign(process.env, {
    MARKETPLACE_URL: 'https://marketplace.vrs.gmbh',
    HEALTH_CHECK_URL_TEMPLATE: `http://127.0.0.1:${port}/{domain}/health`,
    POLL_WITHIN_TASK_MS: '0',
  });
  table = await startTestTable(TABLE_NAME);
  ({ handler } = (await import('../../../functions/tasks/check-satellite-health.js')) as unknown as {
    handler: typeof handler;
  });
});
afterAll(async () => {
  await new Promise((resolve) => satellite.close(resolve));
  await table?.stop();
});

beforeEach(async () => {
  await table.clear(PROJECT_PK);
  await table.seed(projectRecord({ status: 'bootstrapping' }), domainRecord());
});

const check = (attempt: number) =>
  handler({
    projectId: PROJECT_ID,
    poll: { phase: 'health', attempt, redriveCount: 0, done: false, waitSeconds: 5 },
    redriveCount: 0,
  });
const logs = () => table.query(PROJECT_PK, 'LOG#');

describe('CheckSatelliteHealth task', () => {
  it('does not count a redirect as healthy: the flow keeps waiting', async () => {
    // Act
    const out = await check(0);

    // Assess
    expect(out.poll.done).toBe(false);
    expect(await logs()).toEqual([]);
  });

  it('fails at the bound naming the redirect, so staff see why', async () => {
    // Act: the 30th check is the last one.
    const err = await check(29).then(
      () => undefined,
      (e: unknown) => e as Error,
    );

    // Assess
    expect(err?.name).toBe('External.Satellite');
    expect(err?.message).toContain('HTTP 302 redirect to /login');
    expect(await logs()).toEqual([
      expect.objectContaining({
        action: 'health_check_failed',
        message: expect.stringContaining('HTTP 302 redirect to /login'),
      }),
    ]);
  });
});
