import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

// GET /v1/admin/projects/{id}/licenses/{plugin}/history against the real table: newest first,
// paged with signed cursors (the signing key from a mocked Secrets Manager).

const secrets = mockClient(SecretsManagerClient);
let handler: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
let table: TestTable;
const PK = `PROJECT#${PROJECT_ID}`;

const entry = (plugin: string, i: number) => {
  const at = `2025-03-${String(i + 1).padStart(2, '0')}T10:00:00.000Z`;
  return {
    pk: PK,
    sk: `LICENSEHIST#${plugin}#${at}#0000000${i}`,
    entity: 'LicenseHistory',
    projectId: PROJECT_ID,
    plugin,
    action: i === 0 ? 'created' : 'extended',
    oldStatus: i === 0 ? null : 'active',
    newStatus: 'active',
    triggeredBy: i === 0 ? 'system' : 'sachbearbeiter@vrs.gmbh',
    ...(i === 0 ? {} : { reason: `Verlängerung ${i}`, oldExpiresAt: 'a', newExpiresAt: 'b' }),
    createdAt: at,
  };
};

beforeAll(async () => {
  useTestEnvironment();
  process.env.CURSOR_SECRET_ARN = 'vrs/test/cursor';
  secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ key: 'k'.repeat(64) }) });
  table = await startTestTable(TABLE_NAME);
  await table.seed(
    projectRecord(),
    licenseRecord('kontakt'),
    licenseRecord('kontakt-pro'),
    ...Array.from({ length: 5 }, (_, i) => entry('kontakt', i)),
    entry('kontakt-pro', 9),
  );
  ({ handler } = await import('../../../functions/api/list-license-history.js'));
});
afterAll(async () => {
  await table?.stop();
});

const list = (query: Record<string, string> = {}, opts: { plugin?: string; claims?: Claims } = {}) => {
  const plugin = opts.plugin ?? 'kontakt';
  const event = apiRequest({
    route: 'GET /v1/admin/projects/{id}/licenses/{plugin}/history',
    path: `/v1/admin/projects/${PROJECT_ID}/licenses/${plugin}/history`,
    pathParameters: { id: PROJECT_ID, plugin },
    claims: opts.claims ?? STAFF_CLAIMS,
  });
  event.queryStringParameters = query;
  return handler(event);
};
type Page = { items: Record<string, unknown>[]; nextCursor: string | null };

describe('GET /v1/admin/projects/{id}/licenses/{plugin}/history', () => {
  it("pages through one license's history newest first (not another plugin's)", async () => {
    // Act
    const first = await list({ limit: '3' });
    const second = await list({ limit: '3', cursor: jsonBody<Page>(first).nextCursor ?? '' });

    // Assess
    expect(first.statusCode, first.body).toBe(200);
    const a = jsonBody<Page>(first);
    const b = jsonBody<Page>(second);
    expect(a.items.map((h) => h.createdAt)).toEqual([
      '2025-03-05T10:00:00.000Z',
      '2025-03-04T10:00:00.000Z',
      '2025-03-03T10:00:00.000Z',
    ]);
    expect(b.items.map((h) => h.createdAt)).toEqual(['2025-03-02T10:00:00.000Z', '2025-03-01T10:00:00.000Z']);
    expect(b.nextCursor).toBeNull();
    expect(a.items[0]).toEqual({
      plugin: 'kontakt',
      action: 'extended',
      oldStatus: 'active',
      newStatus: 'active',
      oldExpiresAt: 'a',
      newExpiresAt: 'b',
      triggeredBy: 'sachbearbeiter@vrs.gmbh',
      reason: 'Verlängerung 4',
      reference: null,
      createdAt: '2025-03-05T10:00:00.000Z',
    });
    expect(b.items[1]).toMatchObject({
      action: 'created',
      oldStatus: null,
      oldExpiresAt: null,
      reason: null,
    });
  });

  it("refuses a forged cursor and another license's cursor with 400 naming cursor", async () => {
    // Arrange
    const cursor = jsonBody<Page>(await list({ limit: '1' })).nextCursor ?? '';

    // Act
    const forged = await list({ cursor: `${cursor.split('.')[0]}.AAAA` });
    const replayed = await list({ cursor }, { plugin: 'kontakt-pro' });

    // Assess
    for (const res of [forged, replayed]) {
      expect(problemOf(res)).toMatchObject({ statusCode: 400, problem: { errors: [{ path: 'cursor' }] } });
    }
  });

  it('answers 400 to a limit over 200, 404 for a license the project does not hold, 403 to customers', async () => {
    // Act
    const tooMany = await list({ limit: '201' });
    const unknown = await list({}, { plugin: 'galerie' });
    const customer = await list({}, { claims: CUSTOMER_CLAIMS });

    // Assess
    expect(problemOf(tooMany)).toMatchObject({ statusCode: 400, problem: { errors: [{ path: 'limit' }] } });
    expect(problemOf(unknown).statusCode).toBe(404);
    expect(problemOf(customer).statusCode).toBe(403);
  });
});
