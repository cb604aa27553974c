import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestTable, type TestTable } from '../../support/dynamo-table.js';
import {
  apiRequest,
  type Claims,
  CUSTOMER_CLAIMS,
  jsonBody,
  OTHER_CUSTOMER_CLAIMS,
  problemOf,
  STAFF_CLAIMS,
} from './api-request.js';
import { TABLE_NAME, useTestEnvironment } from './environment.js';
import { domainRecord, licenseRecord, PROJECT_ID, projectRecord } from './stored-items.js';

// GET /v1/projects/{id} against the real table (DynamoDB Local).

let handler: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
let table: TestTable;
const PROJECT_PK = `PROJECT#${PROJECT_ID}`;

// docs/api-contract.md: `Project` as returned to its owner and staff.
const CONTRACT_FIELDS = [
  'id',
  'name',
  'slug',
  'projectType',
  'status',
  'paymentMethod',
  'billingEmail',
  'ownerEmail',
  'domains',
  'licenses',
  'provisioningError',
  'provisioningRetryCount',
  'suspensionReason',
  'isDemo',
  'previewProtection',
  'trialEndsAt',
  // Added by us (the contract allows new fields): a demo's source project.
  'clonedFromProjectId',
  'createdAt',
  'updatedAt',
];
const STAFF_FIELDS = [
  'isSuperadmin',
  'serverId',
  'coolifyProjectUuid',
  'coolifyApplicationUuid',
  'executionArn',
  'suspendedAt',
  'suspendedBy',
  'archiveReason',
  'archivedAt',
  'archivedBy',
  'lifecycleRequest',
  'pendingTakeover',
  'takenOverAt',
  'previousOwnerEmail',
];

beforeAll(async () => {
  useTestEnvironment();
  table = await startTestTable(TABLE_NAME);
  ({ handler } = await import('../../../functions/api/get-project.js'));
});
afterAll(async () => {
  await table?.stop();
});

beforeEach(async () => {
  await table.clear(PROJECT_PK);
  await table.clear('PROJECT#mueller');
  await table.seed(
    projectRecord(),
    domainRecord(),
    licenseRecord('kontakt'),
    licenseRecord('bewertungen', { status: 'suspended' }),
  );
});

const getProject = (claims: Claims, id = PROJECT_ID) =>
  handler(
    apiRequest({
      route: 'GET /v1/projects/{id}',
      path: `/v1/projects/${id}`,
      pathParameters: { id },
      claims,
    }),
  );

describe('GET /v1/projects/{id}', () => {
  it('shows the owner their project with exactly the contract’s fields', async () => {
    // Act
    const res = await getProject(CUSTOMER_CLAIMS);

    // Assess
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['content-type']).toBe('application/json');
    const body = jsonBody(res);
    expect(Object.keys(body).sort()).toEqual([...CONTRACT_FIELDS].sort());
    expect(body).toMatchObject({
      id: PROJECT_ID,
      name: 'Steuerberater Müller',
      status: 'active',
      ownerEmail: 'anna.mueller@example.com',
      domains: [
        {
          domain: 'mueller.vrs.gmbh',
          type: 'subdomain',
          status: 'active',
          isPrimary: true,
          failureReason: null,
          expiresAt: null,
        },
      ],
      provisioningError: null,
    });
    expect(body.licenses).toEqual([
      {
        plugin: 'bewertungen',
        status: 'suspended',
        billingCycle: 'yearly',
        expiresAt: '2099-02-04T10:00:00.120Z',
      },
      { plugin: 'kontakt', status: 'active', billingCycle: 'yearly', expiresAt: '2099-02-04T10:00:00.120Z' },
    ]);
  });

  it('keeps where the project runs and its key hash from the owner', async () => {
    // Act
    const res = await getProject(CUSTOMER_CLAIMS);

    // Assess
    const text = res.body ?? '';
    expect(text).not.toContain('apiKeyHash');
    expect(text).not.toContain('q8w4k0sg8c4ggc0o4skkw4s0'); // Coolify project
    expect(text).not.toContain('arn:aws:states');
  });

  it('recognises the owner whatever the case of the e-mail in the token', async () => {
    // Act
    const res = await getProject({ ...CUSTOMER_CLAIMS, email: 'Anna.Mueller@Example.COM' });

    // Assess
    expect(res.statusCode).toBe(200);
  });

  it('shows staff the project with where it runs', async () => {
    // Act
    const res = await getProject(STAFF_CLAIMS);

    // Assess
    expect(res.statusCode).toBe(200);
    const body = jsonBody(res);
    expect(Object.keys(body).sort()).toEqual([...CONTRACT_FIELDS, ...STAFF_FIELDS].sort());
    expect(body).toMatchObject({
      serverId: 'b1d4f7a2-3c6e-4a9b-8d2f-5e7a0c3b6d19',
      coolifyProjectUuid: 'q8w4k0sg8c4ggc0o4skkw4s0',
      coolifyApplicationUuid: 'x0c4ws8g4kk0o8csg0wo4c4k',
      executionArn: expect.stringContaining(':execution:vrs-provision-subdomain:'),
    });
  });

  it('answers another customer exactly as if the project did not exist (404)', async () => {
    // Act
    const foreign = await getProject(OTHER_CUSTOMER_CLAIMS);
    await table.clear(PROJECT_PK); // the same id, now not in the table
    const missing = await getProject(OTHER_CUSTOMER_CLAIMS);

    // Assess
    expect(foreign.statusCode).toBe(404);
    expect(problemOf(foreign).contentType).toBe('application/problem+json');
    expect(foreign.body).toBe(missing.body);
    expect(foreign.statusCode).toBe(missing.statusCode);
  });

  it('answers an id that is not a UUID with 400 naming the id, without looking it up', async () => {
    // Prepare: were the id looked up, this item would answer it.
    await table.seed(projectRecord({ id: 'mueller' }));

    // Act
    const res = await getProject(CUSTOMER_CLAIMS, 'mueller');

    // Assess
    const { statusCode, problem } = problemOf(res);
    expect(statusCode).toBe(400);
    expect(problem.errors.map((e) => e.path)).toEqual(['id']);
  });
});
