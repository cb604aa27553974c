import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
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

// POST /v1/admin/projects/{id}/invoice-payments against the real table (DynamoDB Local): the
// invoice's marker and the license extensions with their history are one transaction, so a
// reference extends once; a suspended project is resumed (Step Functions mocked).

const sfn = mockClient(SFNClient);
let handler: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
let table: TestTable;
const PK = `PROJECT#${PROJECT_ID}`;
const RESUME_ARN = 'arn:aws:states:eu-central-1:123456789012:stateMachine:vrs-resume-project';
const IN_A_WEEK = new Date(Date.now() + 7 * 86_400_000).toISOString();
const LAST_WEEK = new Date(Date.now() - 7 * 86_400_000).toISOString();

beforeAll(async () => {
  useTestEnvironment();
  Object.assign(process.env, {
    RESUME_PROJECT_STATE_MACHINE_ARN: RESUME_ARN,
    SUSPEND_PROJECT_STATE_MACHINE_ARN: RESUME_ARN.replace('resume', 'suspend'),
    ARCHIVE_PROJECT_STATE_MACHINE_ARN: RESUME_ARN.replace('resume', 'archive'),
  });
  table = await startTestTable(TABLE_NAME);
  ({ handler } = await import('../../../functions/api/mark-invoice-paid.js'));
});
afterAll(async () => {
  await table?.stop();
});
beforeEach(async () => {
  sfn.reset();
  sfn.on(StartExecutionCommand).callsFake((input: { stateMachineArn: string; name: string }) => ({
    executionArn: `${input.stateMachineArn.replace(':stateMachine:', ':execution:')}:${input.name}`,
    startDate: new Date(),
  }));
  await table.clear(PK);
  await table.seed(
    projectRecord(),
    licenseRecord('directory', { billingCycle: 'monthly', expiresAt: IN_A_WEEK }),
    licenseRecord('kontakt', { status: 'expired', expiresAt: LAST_WEEK }),
    licenseRecord('galerie', { billingCycle: 'once', expiresAt: null }),
  );
});

const pay = (body: unknown, claims: Claims = STAFF_CLAIMS) =>
  handler(
    apiRequest({
      route: 'POST /v1/admin/projects/{id}/invoice-payments',
      path: `/v1/admin/projects/${PROJECT_ID}/invoice-payments`,
      pathParameters: { id: PROJECT_ID },
      claims,
      body,
    }),
  );
const license = async (plugin: string) => (await table.get({ pk: PK, sk: `LICENSE#${plugin}` }))!;
const history = () => table.query(PK, 'LICENSEHIST#');
type Payment = { licenses: { plugin: string; newExpiresAt: string }[]; resume: unknown };

describe('POST /v1/admin/projects/{id}/invoice-payments', () => {
  it('extends every recurring license by one cycle, with history naming staff and the invoice', async () => {
    // Act
    const res = await pay({ reference: 'RE-2025-017' });

    // Assess
    expect(res.statusCode, res.body).toBe(200);
    const body = jsonBody<Payment>(res);
    expect(body).toMatchObject({
      projectId: PROJECT_ID,
      reference: 'RE-2025-017',
      paidUntil: null,
      recordedBy: STAFF_CLAIMS.email,
      resume: null,
      resumeProblem: null,
    });
    expect(body.licenses.map((l) => l.plugin)).toEqual(['directory', 'kontakt']);
    const directory = await license('directory');
    expect(Date.parse(directory.expiresAt as string)).toBeGreaterThan(
      Date.parse(IN_A_WEEK) + 27 * 86_400_000,
    );
    expect(await license('kontakt')).toMatchObject({ status: 'active' });
    expect(Date.parse((await license('kontakt')).expiresAt as string)).toBeGreaterThan(
      Date.now() + 360 * 86_400_000,
    );
    expect(await license('galerie')).toMatchObject({ status: 'active', expiresAt: null });
    expect(await history()).toEqual([
      expect.objectContaining({
        plugin: 'directory',
        action: 'extended',
        triggeredBy: STAFF_CLAIMS.email,
        reference: 'RE-2025-017',
        reason: 'Invoice RE-2025-017 paid',
        oldExpiresAt: IN_A_WEEK,
      }),
      expect.objectContaining({ plugin: 'kontakt', oldStatus: 'expired', newStatus: 'active' }),
    ]);
    expect(await table.query(PK, 'LOG#')).toEqual([
      expect.objectContaining({ action: 'invoice_paid', triggeredBy: STAFF_CLAIMS.email }),
    ]);
  });

  it('extends once per reference: repeats (also concurrent) answer the same, another paidUntil is a 409', async () => {
    // Act
    const answers = await Promise.all(Array.from({ length: 4 }, () => pay({ reference: 'RE-2025-018' })));
    const later = await pay({ reference: 'RE-2025-018' });
    const other = await pay({ reference: 'RE-2025-018', paidUntil: '2099-01-01T00:00:00Z' });

    // Assess
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
    for (const a of [...answers, later]) expect(jsonBody(a)).toEqual(jsonBody(answers[0]!));
    expect(await history()).toHaveLength(2);
    expect(problemOf(other)).toMatchObject({
      statusCode: 409,
      problem: { detail: expect.stringContaining('Another payment needs its own reference') },
    });
  });

  it('extends to paidUntil', async () => {
    // Act
    const res = await pay({ reference: 'RE-2025-019', paidUntil: '2099-06-30T00:00:00+02:00' });

    // Assess
    expect(res.statusCode, res.body).toBe(200);
    expect(await license('directory')).toMatchObject({ expiresAt: '2099-06-29T22:00:00.000Z' });
    expect(await license('kontakt')).toMatchObject({
      status: 'active',
      expiresAt: '2099-06-29T22:00:00.000Z',
    });
  });

  it('asks for a resume of a suspended project', async () => {
    // Arrange
    await table.seed(
      projectRecord({
        status: 'suspended',
        suspendedLicenses: { directory: 'active' },
        suspensionReason: 'unbezahlt',
      }),
      licenseRecord('directory', { status: 'suspended', billingCycle: 'monthly', expiresAt: IN_A_WEEK }),
    );

    // Act
    const res = await pay({ reference: 'RE-2025-020' });

    // Assess
    expect(res.statusCode, res.body).toBe(200);
    expect(jsonBody(res)).toMatchObject({
      resume: {
        projectId: PROJECT_ID,
        action: 'resume',
        executionArn: expect.stringContaining(`:execution:vrs-resume-project:${PROJECT_ID}-resume-project-1`),
      },
    });
    // The suspension still holds the license: the resume gives it back.
    expect(await license('directory')).toMatchObject({ status: 'suspended' });
    expect((await table.get({ pk: PK, sk: 'PROJECT' }))?.lifecycleRequest).toMatchObject({
      action: 'resume',
      requestedBy: STAFF_CLAIMS.email,
      reason: 'Invoice RE-2025-020 paid',
    });
  });

  it('answers 409 for a project not paid by invoice, and changes nothing', async () => {
    // Arrange
    await table.seed(projectRecord({ paymentMethod: 'stripe_subscription' }));

    // Act
    const res = await pay({ reference: 'RE-2025-021' });

    // Assess
    expect(problemOf(res)).toMatchObject({
      statusCode: 409,
      problem: { detail: expect.stringContaining('not by invoice') },
    });
    expect(await history()).toEqual([]);
    expect(await table.query(PK, 'INVOICEPAID#')).toEqual([]);
  });

  it('answers 400 naming every invalid field, 422 for a paidUntil in the past, 403 to customers', async () => {
    // Act
    const invalid = await pay({ reference: '', paidUntil: 'bald', note: 'x' });
    const past = await pay({ reference: 'RE-2025-022', paidUntil: '2001-01-01T00:00:00Z' });
    const customer = await pay({ reference: 'RE-2025-023' }, CUSTOMER_CLAIMS);

    // Assess
    expect(problemOf(invalid).statusCode).toBe(400);
    expect(
      problemOf(invalid)
        .problem.errors.map((e) => e.path)
        .sort(),
    ).toEqual(['note', 'paidUntil', 'reference']);
    expect(problemOf(past).statusCode).toBe(422);
    expect(problemOf(customer).statusCode).toBe(403);
    expect(await history()).toEqual([]);
  });
});
