import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useTestEnvironment } from './environment.js';
import { fakeTable } from './fake-table.js';
import { domainRecord, PROJECT_ID, projectRecord } from './stored-items.js';

const ddb = mockClient(DynamoDBDocumentClient);
let handler: (event: unknown) => Promise<{ poll: { done: boolean } }>;
let table: ReturnType<typeof fakeTable>;
let satellite: Server;

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
  ({ handler } = (await import('../../../functions/tasks/check-satellite-health.js')) as unknown as {
    handler: typeof handler;
  });
});
afterAll(async () => {
  await new Promise((resolve) => satellite.close(resolve));
});

beforeEach(() => {
  ddb.reset();
  table = fakeTable(ddb);
  table.seed(projectRecord({ status: 'bootstrapping' }), domainRecord());
});

const check = (attempt: number) =>
  handler({
    projectId: PROJECT_ID,
    poll: { phase: 'health', attempt, redriveCount: 0, done: false, waitSeconds: 5 },
    redriveCount: 0,
  });

describe('CheckSatelliteHealth task', () => {
  it('does not count a redirect as healthy: the flow keeps waiting', async () => {
    // Act
    const out = await check(0);

    // Assess
    expect(out.poll.done).toBe(false);
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
    const log = ddb.commandCalls(PutCommand).map((c) => c.args[0].input.Item);
    expect(log).toContainEqual(expect.objectContaining({ action: 'health_check_failed' }));
  });
});
