import { readFileSync } from 'node:fs';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestTable, type TestTable } from '../../support/dynamo-table.js';
import { STAFF_EMAIL, TABLE_NAME, useTestEnvironment } from './environment.js';
import { EXECUTION_ARN, PROJECT_ID, projectRecord } from './stored-items.js';

// The execution-status handler against the real table (DynamoDB Local): its conditional writes
// decide which events count. Step Functions and SES are mocked.

type StatusEvent = { 'detail-type': string; detail: Record<string, unknown> };

const fixture = (name: string): StatusEvent =>
  JSON.parse(readFileSync(new URL(`../../events/${name}`, import.meta.url), 'utf8')) as StatusEvent;
const failedEvent = () => fixture('sfn-execution-status-failed.json');
const redrivenEvent = () => fixture('sfn-execution-status-redriven.json');

const ses = mockClient(SESv2Client);
const sfn = mockClient(SFNClient);
let handler: (event: unknown) => Promise<string>;
let table: TestTable;
const PROJECT_KEY = { pk: `PROJECT#${PROJECT_ID}`, sk: 'PROJECT' };

beforeAll(async () => {
  useTestEnvironment();
  table = await startTestTable(TABLE_NAME);
  ({ handler } = await import('../../../functions/events/execution-status-changed.js'));
});
afterAll(async () => {
  await table?.stop();
});

beforeEach(async () => {
  ses.reset();
  sfn.reset();
  await table.clear(PROJECT_KEY.pk);
  ses
    .on(SendEmailCommand)
    .resolves({ MessageId: '0107019a1b2c3d4e-5f6a7b8c-9d0e-1f2a-3b4c-5d6e7f8a9b0c-000000' });
});

const mails = () => ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input);
const stored = async () => (await table.get(PROJECT_KEY))!;
const logs = async () => table.query(`PROJECT#${PROJECT_ID}`, 'LOG#');

describe('a FAILED execution', () => {
  beforeEach(async () => {
    await table.seed(projectRecord({ status: 'provisioning', provisioningCompletedAt: undefined }));
  });

  it('puts the project into error with the reason and where it failed, and logs it', async () => {
    // Act
    const outcome = await handler(failedEvent());

    // Assess
    expect(outcome).toBe('applied');
    expect(await stored()).toMatchObject({
      status: 'error',
      gsi2pk: 'STATUS#error',
      statusBeforeError: 'provisioning',
      provisioningError: 'External.Inwx: inwx: nameserver.createRecord failed (2302 Object exists)',
      provisioningRetryCount: 1,
    });
    expect(await logs()).toEqual([
      expect.objectContaining({
        entity: 'ProvisioningLog',
        action: 'error',
        oldStatus: 'provisioning',
        newStatus: 'error',
        externalService: 'stepfunctions',
        externalId: EXECUTION_ARN,
      }),
    ]);
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

  it('mails staff once and counts once when EventBridge delivers the event twice', async () => {
    // Act
    const outcomes = [await handler(failedEvent()), await handler(failedEvent())];

    // Assess
    expect(outcomes).toEqual(['applied', 'stale']);
    expect(mails()).toHaveLength(1);
    expect((await stored()).provisioningRetryCount).toBe(1);
    expect(await logs()).toHaveLength(1);
  });

  it('counts once when two deliveries of the event race each other', async () => {
    // Act
    const outcomes = await Promise.all([handler(failedEvent()), handler(failedEvent())]);

    // Assess
    expect(outcomes.sort()).toEqual(['applied', 'stale']);
    expect((await stored()).provisioningRetryCount).toBe(1);
    expect(mails()).toHaveLength(1);
  });

  it('leaves an archived project alone', async () => {
    // Prepare
    await table.seed(projectRecord({ status: 'archived' }));

    // Act
    await handler(failedEvent());

    // Assess
    expect((await stored()).status).toBe('archived');
    expect(await logs()).toHaveLength(0);
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
    expect((await stored()).status).toBe('error');
  });

  it('names a timed-out execution by its status when Step Functions gives no error', async () => {
    // Prepare
    const event = failedEvent();
    Object.assign(event.detail, { status: 'TIMED_OUT', error: null, cause: null });

    // Act
    const outcome = await handler(event);

    // Assess
    expect(outcome).toBe('applied');
    expect((await stored()).provisioningError).toBe('TIMED_OUT');
  });

  it('ignores a failure of an older execution than the current one', async () => {
    // Prepare: the project has moved on to the deploy flow.
    const deployArn = EXECUTION_ARN.replace(/provision-subdomain/g, 'deploy-project');
    await table.seed(projectRecord({ status: 'provisioning', executionArn: deployArn }));

    // Act
    const outcome = await handler(failedEvent());

    // Assess
    expect(outcome).toBe('stale');
    expect((await stored()).status).toBe('provisioning');
    expect(mails()).toHaveLength(0);
  });

  it('believes a newer execution than the recorded one only after DescribeExecution confirms it', async () => {
    // Prepare: the project never recorded its execution (the write after the start was lost).
    await table.seed(projectRecord({ status: 'provisioning', executionArn: undefined }));
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn: EXECUTION_ARN,
      status: 'FAILED',
      redriveCount: 0,
      redriveStatus: 'REDRIVABLE',
      error: 'External.Inwx',
      cause: 'inwx: nameserver.createRecord failed (2302 Object exists)',
    });

    // Act
    const outcome = await handler(failedEvent());

    // Assess
    expect(outcome).toBe('applied');
    expect(sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(1);
    expect(await stored()).toMatchObject({ status: 'error', executionArn: EXECUTION_ARN });
  });
});

describe('a RUNNING execution after a redrive', () => {
  it('brings a project in error back to the status it failed in', async () => {
    // Prepare: a redrive from the Step Functions console.
    await table.seed(
      projectRecord({
        status: 'error',
        statusBeforeError: 'provisioning',
        provisioningError: 'External.Inwx: …',
        lastEventSeq: 1,
      }),
    );

    // Act
    const outcome = await handler(redrivenEvent());

    // Assess
    expect(outcome).toBe('applied');
    const project = await stored();
    expect(project).toMatchObject({ status: 'provisioning', gsi2pk: 'STATUS#provisioning' });
    expect(project.provisioningError).toBeUndefined();
    expect(project.statusBeforeError).toBeUndefined();
    expect(await logs()).toEqual([
      expect.objectContaining({ action: 'retry', oldStatus: 'error', newStatus: 'provisioning' }),
    ]);
    expect(mails()).toHaveLength(0);
  });

  it('changes no status when the project already left error (a retry through the API did that)', async () => {
    // Prepare
    await table.seed(projectRecord({ status: 'provisioning' }));

    // Act
    const outcome = await handler(redrivenEvent());

    // Assess
    expect(outcome).toBe('recorded');
    expect((await stored()).status).toBe('provisioning');
    expect(await logs()).toHaveLength(0);
  });

  it('arriving after the failure of the same redrive changes nothing', async () => {
    // Prepare: FAILED of redrive 1 was applied already (sequence 3).
    await table.seed(projectRecord({ status: 'error', statusBeforeError: 'provisioning', lastEventSeq: 3 }));

    // Act
    const outcome = await handler(redrivenEvent());

    // Assess
    expect(outcome).toBe('stale');
    expect((await stored()).status).toBe('error');
  });
});

describe('a lifecycle execution (suspend, resume, archive)', () => {
  const SUSPEND_ARN = EXECUTION_ARN.replace('vrs-provision-subdomain', 'vrs-suspend-project').replace(
    /provision-subdomain-1$/,
    'suspend-project-4',
  );
  const lifecycleEvent = (status: string, redriveCount = 0) => {
    const event = failedEvent();
    event.detail = {
      ...event.detail,
      executionArn: SUSPEND_ARN,
      name: SUSPEND_ARN.split(':').pop(),
      status,
      redriveCount,
      error: status === 'FAILED' ? 'Transient' : null,
      cause: status === 'FAILED' ? 'coolify: POST /applications/x/stop failed with HTTP 500' : null,
    };
    return event;
  };

  beforeEach(async () => {
    await table.seed(projectRecord({ status: 'active' }));
  });

  it('that failed leaves the project as it is, logs where it stopped and mails staff (German)', async () => {
    // Act
    const outcome = await handler(lifecycleEvent('FAILED'));

    // Assess
    expect(outcome).toBe('notified');
    expect(await stored()).toMatchObject({ status: 'active', provisioningRetryCount: 0 });
    expect(await logs()).toEqual([
      expect.objectContaining({ action: 'lifecycle_failed', externalId: SUSPEND_ARN }),
    ]);
    expect(mails()).toHaveLength(1);
    const mail = mails()[0]!;
    expect(mail.Destination?.ToAddresses).toEqual([STAFF_EMAIL]);
    expect(mail.Content?.Simple?.Subject?.Data).toBe('Sperrung fehlgeschlagen: Steuerberater Müller');
    const text = mail.Content?.Simple?.Body?.Text?.Data ?? '';
    expect(text).toContain('HTTP 500');
    expect(text).toContain(SUSPEND_ARN);
    expect(text).toContain('Redrive');
  });

  it('that was redriven is logged, without a mail; its start is not our business', async () => {
    // Act
    const outcomes = [await handler(lifecycleEvent('RUNNING', 1)), await handler(lifecycleEvent('RUNNING'))];

    // Assess
    expect(outcomes).toEqual(['recorded', 'ignored']);
    expect(await stored()).toMatchObject({ status: 'active' });
    expect((await logs()).map((l) => l.action)).toEqual(['lifecycle_retry']);
    expect(mails()).toEqual([]);
    expect(sfn.calls()).toEqual([]);
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
    expect(await table.get(PROJECT_KEY)).toBeUndefined();
  });
});
