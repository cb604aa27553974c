import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestTable, type TestTable } from '../../support/dynamo-table.js';
import {
  apiRequest,
  type Claims,
  CUSTOMER_CLAIMS,
  jsonBody,
  problemOf,
  STAFF_CLAIMS,
} from './api-request.js';
import { TABLE_NAME, useTestEnvironment } from './environment.js';
import { licenseRecord, PROJECT_ID, projectRecord } from './stored-items.js';

// PUT /v1/admin/projects/{id}/licenses/{plugin} against the real table (DynamoDB Local): the
// license, its history entry, the project condition and the log entry are one transaction.

let handler: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
let table: TestTable;
const PK = `PROJECT#${PROJECT_ID}`;
const STAFF_EMAIL = STAFF_CLAIMS.email;
const EXPIRES = '2099-02-04T10:00:00.120Z';

beforeAll(async () => {
  useTestEnvironment();
  table = await startTestTable(TABLE_NAME);
  ({ handler } = await import('../../../functions/api/put-license.js'));
});
afterAll(async () => {
  await table?.stop();
});
beforeEach(async () => {
  await table.clear(PK);
  await table.seed(projectRecord(), licenseRecord('directory'), licenseRecord('kontakt'));
});

const put = (body: unknown, opts: { plugin?: string; id?: string; claims?: Claims } = {}) => {
  const id = opts.id ?? PROJECT_ID;
  const plugin = opts.plugin ?? 'kontakt';
  return handler(
    apiRequest({
      route: 'PUT /v1/admin/projects/{id}/licenses/{plugin}',
      path: `/v1/admin/projects/${id}/licenses/${plugin}`,
      pathParameters: { id, plugin },
      claims: opts.claims ?? STAFF_CLAIMS,
      body,
    }),
  );
};
const license = async (plugin = 'kontakt') => (await table.get({ pk: PK, sk: `LICENSE#${plugin}` }))!;
const history = (plugin = 'kontakt') => table.query(PK, `LICENSEHIST#${plugin}#`);
const logs = () => table.query(PK, 'LOG#');

describe('PUT /v1/admin/projects/{id}/licenses/{plugin}', () => {
  it('suspends a license with its history entry (who, why, old → new) and a log entry', async () => {
    // Act
    const res = await put({ action: 'suspend', reason: 'Lizenzverstoß gemeldet' });

    // Assess
    expect(res.statusCode, res.body).toBe(200);
    expect(jsonBody(res)).toEqual({
      plugin: 'kontakt',
      status: 'suspended',
      billingCycle: 'yearly',
      expiresAt: EXPIRES,
    });
    expect(await license()).toMatchObject({ status: 'suspended', expiresAt: EXPIRES });
    expect(await license('directory')).toMatchObject({ status: 'active' });
    expect(await history()).toEqual([
      expect.objectContaining({
        action: 'suspended',
        oldStatus: 'active',
        newStatus: 'suspended',
        oldExpiresAt: EXPIRES,
        newExpiresAt: EXPIRES,
        triggeredBy: STAFF_EMAIL,
        reason: 'Lizenzverstoß gemeldet',
      }),
    ]);
    expect(await logs()).toEqual([
      expect.objectContaining({
        action: 'license_suspended',
        triggeredBy: STAFF_EMAIL,
        message: expect.stringContaining('Lizenzverstoß gemeldet'),
      }),
    ]);
  });

  it('extends to until and activates again; a repeat writes nothing more', async () => {
    // Arrange
    await table.seed(licenseRecord('kontakt', { status: 'expired', expiresAt: '2025-01-01T00:00:00.000Z' }));

    // Act
    const extended = await put({ action: 'extend', until: '2099-12-31T00:00:00+01:00', reason: 'Kulanz' });
    const repeat = await put({ action: 'extend', until: '2099-12-30T23:00:00Z', reason: 'Kulanz' });

    // Assess
    expect(extended.statusCode, extended.body).toBe(200);
    expect(jsonBody(extended)).toMatchObject({ status: 'active', expiresAt: '2099-12-30T23:00:00.000Z' });
    expect(repeat.statusCode).toBe(200);
    expect(jsonBody(repeat)).toEqual(jsonBody(extended));
    expect(await history()).toEqual([
      expect.objectContaining({
        action: 'extended',
        oldStatus: 'expired',
        newStatus: 'active',
        oldExpiresAt: '2025-01-01T00:00:00.000Z',
        newExpiresAt: '2099-12-30T23:00:00.000Z',
      }),
    ]);
  });

  it('activates a suspended one-off license, which has no expiry', async () => {
    // Arrange
    await table.seed(
      licenseRecord('kontakt', { status: 'suspended', billingCycle: 'once', expiresAt: null }),
    );

    // Act
    const res = await put({ action: 'activate', reason: 'geklärt' });

    // Assess
    expect(res.statusCode, res.body).toBe(200);
    expect(await license()).toMatchObject({ status: 'active', expiresAt: null });
    expect(await history()).toEqual([
      expect.objectContaining({ oldStatus: 'suspended', newStatus: 'active', newExpiresAt: null }),
    ]);
  });

  it('writes one history entry for five concurrent identical requests', async () => {
    // Act
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => put({ action: 'suspend', reason: 'Doppelklick' })),
    );

    // Assess
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200]);
    expect(await history()).toHaveLength(1);
    expect(await logs()).toHaveLength(1);
  });

  it('hands a license the project suspension took to staff, so the resume leaves it suspended', async () => {
    // Arrange
    await table.seed(
      projectRecord({
        status: 'suspended',
        suspendedLicenses: { directory: 'active', kontakt: 'active' },
      }),
      licenseRecord('kontakt', { status: 'suspended' }),
    );

    // Act
    const res = await put({ action: 'suspend', reason: 'bleibt gesperrt' });

    // Assess
    expect(res.statusCode, res.body).toBe(200);
    expect((await table.get({ pk: PK, sk: 'PROJECT' }))?.suspendedLicenses).toEqual({ directory: 'active' });
    expect(await history()).toEqual([
      expect.objectContaining({ oldStatus: 'suspended', newStatus: 'suspended', reason: 'bleibt gesperrt' }),
    ]);
  });

  it('answers 409 while a lifecycle flow is under way, and for an archived project', async () => {
    // Arrange
    await table.seed(
      projectRecord({
        lifecycleRequest: {
          action: 'suspend',
          run: 1,
          executionArn: 'arn:x',
          requestedBy: 'a',
          requestedAt: 'b',
        },
      }),
    );

    // Act
    const underWay = await put({ action: 'suspend', reason: 'x' });
    await table.seed(
      projectRecord({ status: 'archived' }),
      licenseRecord('kontakt', { status: 'cancelled' }),
    );
    const archived = await put({ action: 'activate', reason: 'x' });

    // Assess
    expect(problemOf(underWay)).toMatchObject({
      statusCode: 409,
      problem: { detail: expect.stringContaining('suspend of this project is under way') },
    });
    expect(problemOf(archived)).toMatchObject({
      statusCode: 409,
      problem: { detail: expect.stringContaining('archived') },
    });
    expect(await history()).toEqual([]);
  });

  it('answers 422 to an until that would shorten the license or lies in the past', async () => {
    // Act
    const shorter = await put({ action: 'extend', until: '2098-01-01T00:00:00Z', reason: 'x' });
    const past = await put({ action: 'activate', until: '2001-01-01T00:00:00Z', reason: 'x' });

    // Assess
    expect(problemOf(shorter)).toMatchObject({
      statusCode: 422,
      contentType: 'application/problem+json',
      problem: { type: expect.stringContaining('not-possible'), detail: expect.stringContaining('shortens') },
    });
    expect(problemOf(past)).toMatchObject({ statusCode: 422 });
    expect(await history()).toEqual([]);
  });

  it('answers 400 naming every invalid field', async () => {
    // Act
    const res = await put({ action: 'pause', until: 'morgen', reason: '', extra: 1 });
    const suspendUntil = await put({ action: 'suspend', until: '2099-01-01T00:00:00Z', reason: 'x' });

    // Assess
    expect(problemOf(res).statusCode).toBe(400);
    expect(
      problemOf(res)
        .problem.errors.map((e) => e.path)
        .sort(),
    ).toEqual(['action', 'extra', 'reason', 'until']);
    expect(problemOf(suspendUntil).problem.errors).toEqual([
      { path: 'until', message: 'only with action activate or extend' },
    ]);
  });

  it('answers 404 for an unknown project or a plugin the project holds no license for', async () => {
    // Act
    const project = await put(
      { action: 'suspend', reason: 'x' },
      { id: '0b5e3f1c-2d4a-4b6c-8e9f-1a2b3c4d5e6f' },
    );
    const plugin = await put({ action: 'suspend', reason: 'x' }, { plugin: 'galerie' });

    // Assess
    expect(problemOf(project)).toMatchObject({ statusCode: 404 });
    expect(problemOf(plugin)).toMatchObject({
      statusCode: 404,
      problem: { detail: expect.stringContaining('"galerie"') },
    });
  });

  it('answers 403 to a customer, even the owner', async () => {
    // Act
    const res = await put({ action: 'activate', reason: 'x' }, { claims: CUSTOMER_CLAIMS });

    // Assess
    expect(problemOf(res).statusCode).toBe(403);
    expect(await history()).toEqual([]);
  });
});
