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
import { domainRecord, PROJECT_ID, projectRecord } from './stored-items.js';

// PUT /v1/admin/projects/{id}/superadmin against the real table (DynamoDB Local): staff mark one of
// our own projects, which is then offered alpha and beta plugin versions; customers never can.

let handler: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
let table: TestTable;

beforeAll(async () => {
  useTestEnvironment();
  table = await startTestTable(TABLE_NAME);
  ({ handler } = await import('../../../functions/api/set-project-superadmin.js'));
});
afterAll(async () => {
  await table?.stop();
});
beforeEach(async () => {
  await table.clearAll();
  await table.seed(projectRecord(), domainRecord());
});

const put = (body: unknown, claims: Claims = STAFF_CLAIMS, id = PROJECT_ID) =>
  handler(
    apiRequest({
      route: 'PUT /v1/admin/projects/{id}/superadmin',
      path: `/v1/admin/projects/${id}/superadmin`,
      pathParameters: { id },
      body,
      claims,
    }),
  );
const logs = () => table.query(`PROJECT#${PROJECT_ID}`, 'LOG#');

describe('PUT /v1/admin/projects/{id}/superadmin', () => {
  it('lets staff set and clear the flag, each change logged with who made it; a repeat logs nothing', async () => {
    const set = await put({ isSuperadmin: true });
    expect(set.statusCode).toBe(200);
    expect(jsonBody(set)).toMatchObject({ id: PROJECT_ID, isSuperadmin: true });
    expect(await table.get({ pk: `PROJECT#${PROJECT_ID}`, sk: 'PROJECT' })).toMatchObject({
      isSuperadmin: true,
    });
    expect((await put({ isSuperadmin: true })).statusCode).toBe(200);
    expect(jsonBody(await put({ isSuperadmin: false }))).toMatchObject({ isSuperadmin: false });
    expect((await logs()).map((l) => [l.action, l.triggeredBy]).sort()).toEqual([
      ['superadmin_cleared', 'sachbearbeiter@vrs.gmbh'],
      ['superadmin_set', 'sachbearbeiter@vrs.gmbh'],
    ]);
  });

  it('refuses customers (403) and changes nothing', async () => {
    expect((await put({ isSuperadmin: true }, CUSTOMER_CLAIMS)).statusCode).toBe(403);
    expect(await table.get({ pk: `PROJECT#${PROJECT_ID}`, sk: 'PROJECT' })).not.toHaveProperty(
      'isSuperadmin',
    );
  });

  it('names every invalid field (400) and answers an unknown project with 404', async () => {
    const bad = problemOf(await put({ isSuperadmin: 'yes', extra: 1 }));
    expect(bad.statusCode).toBe(400);
    expect(bad.problem.errors.map((e) => e.path).sort()).toEqual(['extra', 'isSuperadmin']);
    expect(
      (await put({ isSuperadmin: true }, STAFF_CLAIMS, '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d')).statusCode,
    ).toBe(404);
  });
});
