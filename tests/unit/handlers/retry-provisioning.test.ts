import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
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
import { PROVISION_SUBDOMAIN_ARN, TABLE_NAME, useTestEnvironment } from './environment.js';
import { domainRecord, EXECUTION_ARN, OWNER_EMAIL, PROJECT_ID, projectRecord } from './stored-items.js';

// POST /v1/admin/projects/{id}/retry against the real table (DynamoDB Local); Step Functions is
// mocked with the answers AWS gives for a failed, an expired and a running execution.

const sfn = mockClient(SFNClient);
const ses = mockClient(SESv2Client);
let handler: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
let table: TestTable;
const PROJECT_KEY = { pk: `PROJECT#${PROJECT_ID}`, sk: 'PROJECT' };
const SECOND_ATTEMPT = EXECUTION_ARN.replace(/-1$/, '-2');

// A project whose provisioning failed while it was in `provisioning` (as the status event left it).
const failedProject = (fields: Record<string, unknown> = {}) =>
  projectRecord({
    status: 'error',
    statusBeforeError: 'provisioning',
    provisioningError: 'External.Inwx: inwx: nameserver.createRecord failed (2302 Object exists)',
    provisioningRetryCount: 1,
    provisioningCompletedAt: undefined,
    lastEventSeq: 1,
    ...fields,
  });

const describes = (status: string, redriveStatus: string, redriveCount = 0) =>
  sfn.on(DescribeExecutionCommand, { executionArn: EXECUTION_ARN }).resolves({
    executionArn: EXECUTION_ARN,
    status: status as 'FAILED',
    redriveCount,
    redriveStatus: redriveStatus as 'REDRIVABLE',
  });
const alreadyExists = () =>
  new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: { httpStatusCode: 400 } });

beforeAll(async () => {
  useTestEnvironment();
  table = await startTestTable(TABLE_NAME);
  ({ handler } = await import('../../../functions/api/retry-provisioning.js'));
});
afterAll(async () => {
  await table?.stop();
});

beforeEach(async () => {
  sfn.reset();
  ses.reset();
  ses.on(SendEmailCommand).resolves({ MessageId: 'local-message' });
  await table.clear(PROJECT_KEY.pk);
  describes('FAILED', 'REDRIVABLE');
  sfn.on(StartExecutionCommand).rejects(alreadyExists());
  sfn.on(RedriveExecutionCommand).resolves({ redriveDate: new Date('2025-02-04T11:15:03.271Z') });
});

const retry = (claims: Claims = STAFF_CLAIMS, id = PROJECT_ID) =>
  handler(
    apiRequest({
      route: 'POST /v1/admin/projects/{id}/retry',
      path: `/v1/admin/projects/${id}/retry`,
      pathParameters: { id },
      claims,
    }),
  );
const stored = async () => (await table.get(PROJECT_KEY))!;

describe('POST /v1/admin/projects/{id}/retry', () => {
  it('redrives the failed execution and answers 202 with where the project resumes', async () => {
    // Prepare
    await table.seed(failedProject());

    // Act
    const res = await retry();

    // Assess
    expect(res.statusCode).toBe(202);
    expect(jsonBody(res)).toEqual({
      projectId: PROJECT_ID,
      status: 'provisioning',
      executionArn: EXECUTION_ARN,
    });
    expect(sfn.commandCalls(RedriveExecutionCommand).map((c) => c.args[0].input)).toEqual([
      { executionArn: EXECUTION_ARN },
    ]);
  });

  it('moves the project out of error back to the status it failed in, clearing the error', async () => {
    // Prepare
    await table.seed(failedProject());

    // Act
    await retry();

    // Assess
    const project = await stored();
    expect(project).toMatchObject({ status: 'provisioning', gsi2pk: 'STATUS#provisioning' });
    expect(project.provisioningError).toBeUndefined();
    expect(project.statusBeforeError).toBeUndefined();
    // The redrive's own RUNNING event (redrive 1) is already accounted for.
    expect(project.lastEventSeq).toBe(2);
  });

  it('logs who retried, with the status change, and which execution resumed', async () => {
    // Prepare
    await table.seed(failedProject());

    // Act
    await retry();

    // Assess
    const logs = await table.query(PROJECT_KEY.pk, 'LOG#');
    expect(logs).toHaveLength(2);
    expect(logs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          entity: 'ProvisioningLog',
          action: 'retry',
          oldStatus: 'error',
          newStatus: 'provisioning',
          triggeredBy: 'sachbearbeiter@vrs.gmbh',
        }),
        expect.objectContaining({
          action: 'retry_started',
          externalId: EXECUTION_ARN,
          triggeredBy: 'sachbearbeiter@vrs.gmbh',
        }),
      ]),
    );
  });

  it('starts the next attempt when the old execution can no longer be redriven', async () => {
    // Prepare
    await table.seed(failedProject());
    describes('FAILED', 'NOT_REDRIVABLE');
    sfn
      .on(StartExecutionCommand, { name: `${PROJECT_ID}-provision-subdomain-2` })
      .resolves({ executionArn: SECOND_ATTEMPT, startDate: new Date('2025-02-20T08:00:00.000Z') });

    // Act
    const res = await retry();

    // Assess
    expect(res.statusCode).toBe(202);
    expect(sfn.commandCalls(RedriveExecutionCommand)).toHaveLength(0);
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.name)).toEqual([
      `${PROJECT_ID}-provision-subdomain-1`,
      `${PROJECT_ID}-provision-subdomain-2`,
    ]);
    expect(sfn.commandCalls(StartExecutionCommand)[1]!.args[0].input).toMatchObject({
      stateMachineArn: PROVISION_SUBDOMAIN_ARN,
      input: JSON.stringify({ projectId: PROJECT_ID }),
    });
    expect(jsonBody(res).executionArn).toBe(SECOND_ATTEMPT);
    expect((await stored()).executionArn).toBe(SECOND_ATTEMPT);
  });

  it('starts the first execution of an order whose start had failed, and tells the owner once', async () => {
    // Prepare: the order was stored and confirmed, but StartExecution failed (no execution yet).
    await table.seed(
      failedProject({
        statusBeforeError: 'pending_domain',
        executionArn: undefined,
        lastEventSeq: undefined,
        orderConfirmationMailedAt: '2025-02-04T10:00:01.000Z',
      }),
      domainRecord(),
    );
    sfn
      .on(StartExecutionCommand, { name: `${PROJECT_ID}-provision-subdomain-1` })
      .resolves({ executionArn: EXECUTION_ARN, startDate: new Date('2025-02-20T08:00:00.000Z') });

    // Act
    const res = await retry();

    // Assess: started, and only the mail not sent before goes out.
    expect(res.statusCode).toBe(202);
    expect(ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input.Destination?.ToAddresses)).toEqual([
      [OWNER_EMAIL],
    ]);
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input.Content?.Simple?.Subject?.Data).toMatch(
      /^Einrichtung von/,
    );
    expect(await stored()).toMatchObject({ provisioningStartedMailedAt: expect.any(String) });
  });

  it('refuses while the execution is running (409) and starts nothing', async () => {
    // Prepare: the project shows error, but a redrive from the console is already running.
    await table.seed(failedProject());
    describes('RUNNING', 'NOT_REDRIVABLE', 1);

    // Act
    const res = await retry();

    // Assess
    expect(res.statusCode).toBe(409);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    expect(sfn.commandCalls(RedriveExecutionCommand)).toHaveLength(0);
    expect((await stored()).status).toBe('error');
  });

  it.each(['active', 'provisioning', 'suspended', 'archived'])(
    'refuses to retry a project in status %s (409) and changes nothing',
    async (status) => {
      // Prepare
      await table.seed(projectRecord({ status }));

      // Act
      const res = await retry();

      // Assess
      const { statusCode, contentType, problem } = problemOf(res);
      expect(statusCode).toBe(409);
      expect(contentType).toBe('application/problem+json');
      expect(problem.detail).toContain(`"${status}"`);
      expect((await stored()).status).toBe(status);
      expect(sfn.calls()).toHaveLength(0);
    },
  );

  it('answers an unknown project with 404', async () => {
    // Act
    const res = await retry(STAFF_CLAIMS, '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d');

    // Assess
    expect(res.statusCode).toBe(404);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('is for staff only: a customer gets 403 and nothing changes', async () => {
    // Prepare
    await table.seed(failedProject());

    // Act
    const res = await retry(CUSTOMER_CLAIMS);

    // Assess
    expect(res.statusCode).toBe(403);
    expect((await stored()).status).toBe('error');
    expect(sfn.calls()).toHaveLength(0);
  });

  it('lets one of two simultaneous retries through; the other gets 409 and starts nothing', async () => {
    // Prepare
    await table.seed(failedProject());

    // Act
    const results = await Promise.all([retry(), retry()]);

    // Assess
    expect(results.map((r) => r.statusCode).sort()).toEqual([202, 409]);
    expect(sfn.commandCalls(RedriveExecutionCommand)).toHaveLength(1);
    expect(
      sfn.commandCalls(StartExecutionCommand).filter((c) => c.args[0].input.name?.endsWith('-2')),
    ).toHaveLength(0);
  });
});
