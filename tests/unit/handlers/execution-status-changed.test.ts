import { readFileSync } from 'node:fs';
import { InternalServerError, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { STAFF_EMAIL, TABLE_NAME, useTestEnvironment } from './environment.js';
import { fakeTable } from './fake-table.js';
import { EXECUTION_ARN, executionEventMarker, PROJECT_ID, projectRecord } from './stored-items.js';

type StatusEvent = { 'detail-type': string; detail: Record<string, unknown> };

const fixture = (name: string): StatusEvent =>
  JSON.parse(readFileSync(new URL(`../../events/${name}`, import.meta.url), 'utf8')) as StatusEvent;
const failedEvent = () => fixture('sfn-execution-status-failed.json');
const redrivenEvent = () => fixture('sfn-execution-status-redriven.json');

const ddb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESv2Client);
let handler: (event: unknown) => Promise<string>;
let table: ReturnType<typeof fakeTable>;

beforeAll(async () => {
  useTestEnvironment();
  ({ handler } = await import('../../../functions/events/execution-status-changed.js'));
});

beforeEach(() => {
  ddb.reset();
  ses.reset();
  table = fakeTable(ddb);
  ses
    .on(SendEmailCommand)
    .resolves({ MessageId: '0107019a1b2c3d4e-5f6a7b8c-9d0e-1f2a-3b4c-5d6e7f8a9b0c-000000' });
});

const transactions = () =>
  ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems ?? []);
const mails = () => ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input);

describe('a FAILED execution', () => {
  beforeEach(() => {
    table.seed(projectRecord({ status: 'provisioning', provisioningCompletedAt: undefined }));
  });

  it('puts the project into error with the reason, remembers the event and logs it, in one transaction', async () => {
    // Act
    const outcome = await handler(failedEvent());

    // Assess
    expect(outcome).toBe('applied');
    expect(transactions()).toHaveLength(1);
    const [marker, update, log] = transactions()[0]!;
    expect(marker?.Put).toMatchObject({
      TableName: TABLE_NAME,
      Item: { pk: `EXECEVENT#${EXECUTION_ARN}`, sk: '0#FAILED', entity: 'ExecutionEvent' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(update?.Update?.Key).toEqual({ pk: `PROJECT#${PROJECT_ID}`, sk: 'PROJECT' });
    expect(update?.Update?.ExpressionAttributeValues).toMatchObject({
      ':err': 'error',
      ':reason': 'External.Inwx: inwx: nameserver.createRecord failed (2302 Object exists)',
      ':s0': 'pending_domain',
      ':s1': 'provisioning',
      ':s2': 'bootstrapping',
    });
    expect(log?.Put?.Item).toMatchObject({
      entity: 'ProvisioningLog',
      projectId: PROJECT_ID,
      action: 'error',
      newStatus: 'error',
      externalService: 'stepfunctions',
      externalId: EXECUTION_ARN,
    });
  });

  it('keeps the marker for a limited time only', async () => {
    // Act
    await handler(failedEvent());

    // Assess
    const ttl = transactions()[0]![0]?.Put?.Item?.ttl as number;
    const days = (ttl - Date.now() / 1000) / 86_400;
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThanOrEqual(30);
  });

  it('mails staff once, naming the project, the reason and the execution', async () => {
    // Act
    await handler(failedEvent());

    // Assess
    expect(mails()).toHaveLength(1);
    const mail = mails()[0]!;
    expect(mail.Destination?.ToAddresses).toEqual([STAFF_EMAIL]);
    expect(mail.Content?.Simple?.Subject?.Data).toContain('Steuerberater Müller');
    const text = mail.Content?.Simple?.Body?.Text?.Data ?? '';
    expect(text).toContain('nameserver.createRecord failed (2302 Object exists)');
    expect(text).toContain(EXECUTION_ARN);
    expect(text).toContain(PROJECT_ID);
  });

  it('does nothing more for a repeated delivery of the same event: no second mail', async () => {
    // Prepare: an earlier delivery wrote the marker.
    table.seed(executionEventMarker(EXECUTION_ARN, 0, 'FAILED'));

    // Act
    const outcome = await handler(failedEvent());

    // Assess
    expect(outcome).toBe('duplicate');
    expect(mails()).toHaveLength(0);
  });

  it('mails staff once when EventBridge delivers the event twice', async () => {
    // Act
    const outcomes = [await handler(failedEvent()), await handler(failedEvent())];

    // Assess
    expect(outcomes).toEqual(['applied', 'duplicate']);
    expect(mails()).toHaveLength(1);
  });

  it('leaves a project alone that is no longer being provisioned', async () => {
    // Prepare: DynamoDB cancels on the project's status condition (item 1), not on the marker.
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message:
          'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, None]',
        $metadata: { httpStatusCode: 400 },
        CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );

    // Act
    const outcome = await handler(failedEvent());

    // Assess
    expect(outcome).toBe('not-applicable');
    expect(mails()).toHaveLength(0);
  });

  it('keeps the error recorded when the staff mail cannot be sent', async () => {
    // Prepare
    ses.on(SendEmailCommand).rejects(
      Object.assign(new Error('Daily message quota exceeded'), {
        name: 'LimitExceededException',
        $metadata: { httpStatusCode: 400 },
      }),
    );

    // Act
    const outcome = await handler(failedEvent());

    // Assess
    expect(outcome).toBe('applied');
    expect(transactions()).toHaveLength(1);
  });

  it('names a timed-out execution by its status when Step Functions gives no error', async () => {
    // Prepare
    const event = failedEvent();
    Object.assign(event.detail, { status: 'TIMED_OUT', error: null, cause: null });

    // Act
    const outcome = await handler(event);

    // Assess
    expect(outcome).toBe('applied');
    const [marker, update] = transactions()[0]!;
    expect(marker?.Put?.Item?.sk).toBe('0#TIMED_OUT');
    expect(update?.Update?.ExpressionAttributeValues?.[':reason']).toBe('TIMED_OUT');
  });

  it('fails with Transient.Aws when DynamoDB is down, so EventBridge delivers again', async () => {
    // Prepare
    ddb
      .on(TransactWriteCommand)
      .rejects(
        new InternalServerError({ message: 'Internal server error', $metadata: { httpStatusCode: 500 } }),
      );

    // Act
    const outcome = handler(failedEvent());

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'Transient.Aws' });
    expect(mails()).toHaveLength(0);
  });
});

describe('a RUNNING execution after a redrive', () => {
  it('brings a project in error back to the status it failed in', async () => {
    // Prepare: a redrive from the Step Functions console.
    table.seed(
      projectRecord({
        status: 'error',
        statusBeforeError: 'provisioning',
        provisioningError: 'External.Inwx: …',
      }),
    );

    // Act
    const outcome = await handler(redrivenEvent());

    // Assess
    expect(outcome).toBe('applied');
    const [marker, update, log] = transactions()[0]!;
    expect(marker?.Put?.Item).toMatchObject({ pk: `EXECEVENT#${EXECUTION_ARN}`, sk: '1#RUNNING' });
    expect(update?.Update?.ExpressionAttributeValues).toMatchObject({
      ':err': 'error',
      ':resume': 'provisioning',
      ':g': 'STATUS#provisioning',
    });
    expect(update?.Update?.UpdateExpression).toMatch(/REMOVE provisioningError, statusBeforeError/);
    expect(log?.Put?.Item).toMatchObject({ action: 'retry', oldStatus: 'error', newStatus: 'provisioning' });
    expect(mails()).toHaveLength(0);
  });

  it('does nothing when the project already left error (a retry through the API did that)', async () => {
    // Prepare
    table.seed(projectRecord({ status: 'provisioning' }));

    // Act
    const outcome = await handler(redrivenEvent());

    // Assess
    expect(outcome).toBe('not-applicable');
    expect(transactions()).toHaveLength(0);
  });

  it('ignores the RUNNING event of a first start', async () => {
    // Prepare
    const event = redrivenEvent();
    Object.assign(event.detail, { redriveCount: 0, redriveDate: null, redriveStatus: 'NOT_REDRIVABLE' });

    // Act
    const outcome = await handler(event);

    // Assess
    expect(outcome).toBe('ignored');
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('events that are not for us', () => {
  it.each([
    ['an empty object', {}],
    ['null', null],
    [
      'another detail type',
      { ...failedEvent(), 'detail-type': 'Step Functions State Machine Status Change' },
    ],
    [
      'a status we do not know',
      { ...failedEvent(), detail: { ...failedEvent().detail, status: 'EXPLODED' } },
    ],
    ['a detail without an execution ARN', { ...failedEvent(), detail: { status: 'FAILED', name: 'x' } }],
  ])('ignores %s and writes nothing', async (_what, event) => {
    // Act
    const outcome = await handler(event);

    // Assess
    expect(outcome).toBe('ignored');
    expect(ddb.calls()).toHaveLength(0);
    expect(ses.calls()).toHaveLength(0);
  });

  it.each([
    ['input that is not JSON', 'projectId=3f2b8c4e'],
    ['input without a project id', '{"orderId":"A-1001"}'],
    ['its input left out of the event (over 248 KB)', null],
  ])('ignores an execution with %s', async (_what, input) => {
    // Prepare
    const event = failedEvent();
    event.detail.input = input;

    // Act
    const outcome = await handler(event);

    // Assess
    expect(outcome).toBe('ignored');
    expect(ddb.calls()).toHaveLength(0);
  });
});
