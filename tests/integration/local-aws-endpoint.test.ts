import '../../infra/local/engines/polyfills.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionNotRedrivable,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalAwsEndpoint, startLocalAwsEndpoint } from '../../infra/local/engines/aws-endpoint.js';
import { LocalStepFunctions } from '../../infra/local/engines/step-functions/local-step-functions.js';
import type {
  StepFunctionsStatusChangeEvent,
  TaskHandler,
} from '../../infra/local/engines/step-functions/types.js';
import { FaultRegistry } from '../../infra/local/simulators/faults.js';
import { LocalMailbox } from '../../infra/local/simulators/mail.js';

const REGION = 'eu-central-1';
const ACCOUNT = '000000000000';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const fnArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
const MACHINE_ARN = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:local-endpoint-test`;
const SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:vrs/coolify-Ab12Cd`;

// Prepare (Task) → Route (Choice) → Deliver (Task, via the lambda:invoke integration), with an optional long Wait.
const definition = {
  StartAt: 'Prepare',
  States: {
    Prepare: {
      Type: 'Task',
      Resource: fnArn('prepare'),
      ResultPath: '$.prepared',
      Retry: [{ ErrorEquals: ['Transient.X'], IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2 }],
      Next: 'Route',
    },
    Route: {
      Type: 'Choice',
      Choices: [{ Variable: '$.prepared.wait', BooleanEquals: true, Next: 'Pause' }],
      Default: 'Deliver',
    },
    Pause: { Type: 'Wait', Seconds: 3600, Next: 'Deliver' },
    Deliver: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: {
        FunctionName: fnArn('deliver'),
        Payload: {
          'scenario.$': '$.scenario',
          'redriveCount.$': '$$.Execution.RedriveCount',
          'executionInput.$': '$$.Execution.Input',
          'executionName.$': '$$.Execution.Name',
        },
      },
      ResultSelector: { 'delivered.$': '$.Payload', 'statusCode.$': '$.StatusCode' },
      ResultPath: '$.result',
      Retry: [{ ErrorEquals: ['Transient.X'], MaxAttempts: 2 }],
      End: true,
    },
  },
};

interface Scenario {
  scenario: string;
  wait?: boolean;
}

/** Per-scenario switches and call counters the handlers read. */
const calls = { prepare: new Map<string, number>(), deliver: new Map<string, number>() };
const flakyFailures = new Map<string, number>();
let deliverBroken = true;
let release: () => void = () => {};
let gate = Promise.resolve();

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function namedError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

const taskHandlers: Record<string, TaskHandler> = {
  [fnArn('prepare')]: async (input) => {
    const { scenario, wait } = input as Scenario;
    count(calls.prepare, scenario);
    if (scenario === 'flaky' && (flakyFailures.get(scenario) ?? 0) < 2) {
      flakyFailures.set(scenario, (flakyFailures.get(scenario) ?? 0) + 1);
      throw namedError('Transient.X', 'try again');
    }
    if (scenario.startsWith('blocking')) await gate;
    return { wait: wait === true, preparedFor: scenario };
  },
  [fnArn('deliver')]: async (payload) => {
    const p = payload as { scenario: string };
    count(calls.deliver, p.scenario);
    if (p.scenario === 'broken' && deliverBroken)
      throw namedError('Provisioning.Broken', 'deliver is broken');
    return { ok: true, ...p };
  },
};

function resetGate(): void {
  gate = new Promise((resolve) => {
    release = resolve;
  });
}

describe('local AWS endpoint with the real SDK clients', () => {
  const events: StepFunctionsStatusChangeEvent[] = [];
  const faults = new FaultRegistry();
  let sfnLocal: LocalStepFunctions;
  let mail: LocalMailbox;
  let endpoint: LocalAwsEndpoint;
  let sfn: SFNClient;
  let ses: SESv2Client;
  let secrets: SecretsManagerClient;

  const eventsFor = (arn: string) =>
    events
      .filter((e) => e.detail.executionArn === arn)
      .map((e) => ({ status: e.detail.status, redriveCount: e.detail.redriveCount }));

  beforeAll(async () => {
    sfnLocal = new LocalStepFunctions({
      stateMachines: [{ name: 'local-endpoint-test', arn: MACHINE_ARN, definition }],
      taskHandlers,
      waitMs: 20,
      retryIntervalMs: 10,
      onStatusChange: async (event) => {
        events.push(event);
      },
    });
    mail = new LocalMailbox({ faults });
    endpoint = await startLocalAwsEndpoint({
      stepFunctions: sfnLocal,
      secrets: { 'vrs/inwx': '{"user":"u","pass":"p"}', [SECRET_ARN]: '{"token":"t"}' },
      mail,
    });
    const config = { endpoint: endpoint.url, region: REGION, credentials };
    sfn = new SFNClient(config);
    ses = new SESv2Client(config);
    secrets = new SecretsManagerClient(config);
  });

  afterAll(async () => {
    await endpoint?.close();
    await sfnLocal?.close();
  });

  beforeEach(() => {
    faults.clear();
    mail.clear();
  });

  it('returns the running execution for a repeated start and rejects a closed name', async () => {
    resetGate();
    const input = JSON.stringify({ scenario: 'blocking-dup' });
    const first = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, name: 'dup-1', input }),
    );
    const second = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, name: 'dup-1', input }),
    );
    expect(second.executionArn).toBe(first.executionArn);
    expect(second.startDate?.getTime()).toBe(first.startDate?.getTime());
    expect(first.startDate).toBeInstanceOf(Date);

    // Same name, different input while running: the name is taken.
    await expect(
      sfn.send(
        new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, name: 'dup-1', input: '{"scenario":"x"}' }),
      ),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);

    const running = await sfn.send(new DescribeExecutionCommand({ executionArn: first.executionArn }));
    expect(running.status).toBe('RUNNING');
    expect(running.redriveStatus).toBe('NOT_REDRIVABLE');

    release();
    const done = await sfnLocal.waitForExecution(first.executionArn ?? '');
    expect(done.status).toBe('SUCCEEDED');
    expect(calls.prepare.get('blocking-dup')).toBe(1);

    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, name: 'dup-1', input })),
    ).rejects.toMatchObject({ name: 'ExecutionAlreadyExists', $metadata: { httpStatusCode: 400 } });

    const listed = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: MACHINE_ARN, statusFilter: 'SUCCEEDED' }),
    );
    expect(listed.executions?.filter((e) => e.name === 'dup-1')).toHaveLength(1);
    expect(eventsFor(first.executionArn ?? '').map((e) => e.status)).toEqual(['RUNNING', 'SUCCEEDED']);
  });

  it('retries a transient task error and succeeds; Wait states are shortened', async () => {
    const started = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: MACHINE_ARN,
        name: 'flaky-1',
        input: JSON.stringify({ scenario: 'flaky', wait: true }),
      }),
    );
    const done = await sfnLocal.waitForExecution(started.executionArn ?? '', 5_000);
    expect(done.status).toBe('SUCCEEDED');
    expect(calls.prepare.get('flaky')).toBe(3);
    expect(done.history.filter((h) => h.type === 'StateRetried' && h.state === 'Prepare')).toHaveLength(2);
    expect(done.stateTransitions).toBe(4); // Prepare, Route, Pause, Deliver

    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(described.status).toBe('SUCCEEDED');
    expect(described.stopDate).toBeInstanceOf(Date);
    const output = JSON.parse(described.output ?? 'null');
    expect(output.result).toMatchObject({ statusCode: 200, delivered: { ok: true, scenario: 'flaky' } });
    expect(output.prepared).toEqual({ wait: true, preparedFor: 'flaky' });
  });

  it('fails at the failing task, then a redrive resumes there without rerunning earlier tasks', async () => {
    deliverBroken = true;
    const input = JSON.stringify({ scenario: 'broken' });
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, name: 'broken-1', input }),
    );
    const arn = executionArn ?? '';
    const failed = await sfnLocal.waitForExecution(arn);
    expect(failed.status).toBe('FAILED');
    expect(failed.lastState?.name).toBe('Deliver');
    expect(failed.lastState?.input).toMatchObject({
      scenario: 'broken',
      prepared: { preparedFor: 'broken' },
    });

    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(described).toMatchObject({
      status: 'FAILED',
      error: 'Provisioning.Broken',
      redriveStatus: 'REDRIVABLE',
    });
    expect(JSON.parse(described.cause ?? '{}')).toMatchObject({
      errorType: 'Provisioning.Broken',
      errorMessage: 'deliver is broken',
    });
    expect(eventsFor(arn)).toEqual([
      { status: 'RUNNING', redriveCount: 0 },
      { status: 'FAILED', redriveCount: 0 },
    ]);
    const failedEvent = events.find((e) => e.detail.executionArn === arn && e.detail.status === 'FAILED');
    expect(failedEvent).toMatchObject({
      version: '0',
      source: 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      account: ACCOUNT,
      region: REGION,
      resources: [arn],
      detail: { name: 'broken-1', stateMachineArn: MACHINE_ARN, input, error: 'Provisioning.Broken' },
    });
    expect(typeof failedEvent?.detail.startDate).toBe('number');
    expect(typeof failedEvent?.detail.stopDate).toBe('number');

    // Staff fix the cause and redrive.
    deliverBroken = false;
    const redriven = await sfn.send(new RedriveExecutionCommand({ executionArn: arn }));
    expect(redriven.redriveDate).toBeInstanceOf(Date);
    const done = await sfnLocal.waitForExecution(arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.redriveCount).toBe(1);
    expect(calls.prepare.get('broken')).toBe(1); // not rerun
    expect(calls.deliver.get('broken')).toBe(2);
    expect(done.history.map((h) => h.type)).toContain('ExecutionRedriven');

    const output = JSON.parse(done.output ?? 'null');
    // Context object after redrive: RedriveCount set, Execution.Input still the original input.
    expect(output.result.delivered).toMatchObject({
      redriveCount: 1,
      executionInput: { scenario: 'broken' },
      executionName: 'broken-1',
    });

    expect(eventsFor(arn)).toEqual([
      { status: 'RUNNING', redriveCount: 0 },
      { status: 'FAILED', redriveCount: 0 },
      { status: 'RUNNING', redriveCount: 1 },
      { status: 'SUCCEEDED', redriveCount: 1 },
    ]);
    const redriveEvent = events.filter((e) => e.detail.executionArn === arn)[2];
    expect(typeof redriveEvent?.detail.redriveDate).toBe('number');
    expect(redriveEvent?.detail.startDate).toBe(failedEvent?.detail.startDate);

    await expect(sfn.send(new RedriveExecutionCommand({ executionArn: arn }))).rejects.toBeInstanceOf(
      ExecutionNotRedrivable,
    );
  });

  it('stops a running execution (ABORTED) and can redrive it', async () => {
    resetGate();
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: MACHINE_ARN,
        name: 'stop-1',
        input: JSON.stringify({ scenario: 'blocking-stop' }),
      }),
    );
    const arn = executionArn ?? '';
    await until(() => calls.prepare.get('blocking-stop') === 1);
    const stopped = await sfn.send(
      new StopExecutionCommand({ executionArn: arn, error: 'Staff.Stop', cause: 'test' }),
    );
    expect(stopped.stopDate).toBeInstanceOf(Date);
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(described).toMatchObject({ status: 'ABORTED', error: 'Staff.Stop', cause: 'test' });

    release();
    await sfn.send(new RedriveExecutionCommand({ executionArn: arn }));
    const done = await sfnLocal.waitForExecution(arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(eventsFor(arn).map((e) => e.status)).toEqual(['RUNNING', 'ABORTED', 'RUNNING', 'SUCCEEDED']);
  });

  it('delivers SES SendEmail into the mailbox', async () => {
    const sent = await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'noreply@vrs.example',
        Destination: { ToAddresses: ['staff@vrs.example'] },
        Content: {
          Simple: {
            Subject: { Data: 'Provisioning failed' },
            Body: { Text: { Data: 'Plain text' }, Html: { Data: '<p>HTML</p>' } },
          },
        },
      }),
    );
    expect(sent.MessageId).toBeTruthy();
    const message = await mail.waitFor((m) => m.subject === 'Provisioning failed', 1_000);
    expect(message).toMatchObject({
      id: sent.MessageId,
      from: 'noreply@vrs.example',
      to: ['staff@vrs.example'],
      text: 'Plain text',
      html: '<p>HTML</p>',
    });
    expect(mail.list()).toHaveLength(1);
  });

  it('answers mail faults like SES does', async () => {
    const oneShot = new SESv2Client({ endpoint: endpoint.url, region: REGION, credentials, maxAttempts: 1 });
    const send = () =>
      oneShot.send(
        new SendEmailCommand({
          FromEmailAddress: 'noreply@vrs.example',
          Destination: { ToAddresses: ['a@vrs.example'] },
          Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } },
        }),
      );
    faults.add({ service: 'mail', operation: 'SendEmail', mode: 'http_429', times: 1 });
    await expect(send()).rejects.toMatchObject({
      name: 'TooManyRequestsException',
      $metadata: { httpStatusCode: 429 },
    });
    faults.add({ service: 'mail', mode: 'http_500', times: 1 });
    await expect(send()).rejects.toMatchObject({ $metadata: { httpStatusCode: 500 } });
    expect(mail.list()).toHaveLength(0);

    // `timeout` stalls until the client gives up and disconnects.
    faults.add({ service: 'mail', operation: 'SendEmail', mode: 'timeout', times: 1 });
    const impatient = new SESv2Client({
      endpoint: endpoint.url,
      region: REGION,
      credentials,
      maxAttempts: 1,
      requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true },
    });
    const startedAt = Date.now();
    await expect(
      impatient.send(
        new SendEmailCommand({
          FromEmailAddress: 'noreply@vrs.example',
          Destination: { ToAddresses: ['a@vrs.example'] },
          Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - startedAt).toBeLessThan(5_000);

    await send();
    expect(mail.list()).toHaveLength(1);
  });

  it('returns secrets by name or ARN, and ResourceNotFoundException otherwise', async () => {
    const byName = await secrets.send(new GetSecretValueCommand({ SecretId: 'vrs/inwx' }));
    expect(byName).toMatchObject({ Name: 'vrs/inwx', SecretString: '{"user":"u","pass":"p"}' });
    expect(byName.ARN).toMatch(/^arn:aws:secretsmanager:eu-central-1:000000000000:secret:vrs\/inwx-\w{6}$/);
    const byShortName = await secrets.send(new GetSecretValueCommand({ SecretId: 'vrs/coolify' }));
    expect(byShortName).toMatchObject({
      ARN: SECRET_ARN,
      Name: 'vrs/coolify',
      SecretString: '{"token":"t"}',
    });
    await expect(secrets.send(new GetSecretValueCommand({ SecretId: 'nope' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('is found through AWS_ENDPOINT_URL_* like the handlers configure it', async () => {
    const saved = { ...process.env };
    try {
      process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = endpoint.url;
      process.env.AWS_ENDPOINT_URL_SFN = endpoint.url;
      const viaEnv = new SecretsManagerClient({ region: REGION, credentials });
      const secret = await viaEnv.send(new GetSecretValueCommand({ SecretId: 'vrs/inwx' }));
      expect(secret.SecretString).toContain('"user"');
      const sfnViaEnv = new SFNClient({ region: REGION, credentials });
      const listed = await sfnViaEnv.send(new ListExecutionsCommand({ stateMachineArn: MACHINE_ARN }));
      expect(listed.executions?.length).toBeGreaterThan(0);
    } finally {
      process.env = saved;
    }
  });
});

describe('LocalStepFunctions persistence', () => {
  it('marks executions that were running at a restart as FAILED (Local.RuntimeRestarted) and redrives them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'local-sfn-'));
    const persistPath = join(dir, 'executions.json');
    try {
      resetGate();
      const first = new LocalStepFunctions({
        stateMachines: [{ name: 'local-endpoint-test', arn: MACHINE_ARN, definition }],
        taskHandlers,
        persistPath,
      });
      const { executionArn } = await first.startExecution({
        stateMachineArn: MACHINE_ARN,
        name: 'restart-1',
        input: { scenario: 'blocking-restart' },
      });
      await until(() => calls.prepare.get('blocking-restart') === 1);
      await first.close();

      const restartEvents: StepFunctionsStatusChangeEvent[] = [];
      const second = new LocalStepFunctions({
        stateMachines: [{ name: 'local-endpoint-test', arn: MACHINE_ARN, definition }],
        taskHandlers,
        persistPath,
        onStatusChange: async (e) => {
          restartEvents.push(e);
        },
      });
      const failed = await second.describeExecution(executionArn);
      expect(failed).toMatchObject({ status: 'FAILED', error: 'Local.RuntimeRestarted' });
      expect(failed.lastState).toEqual({ name: 'Prepare', input: { scenario: 'blocking-restart' } });

      release();
      await second.redriveExecution({ executionArn });
      const done = await second.waitForExecution(executionArn);
      expect(done.status).toBe('SUCCEEDED');
      expect(done.redriveCount).toBe(1);
      expect(restartEvents.map((e) => [e.detail.status, e.detail.redriveCount])).toEqual([
        ['FAILED', 0],
        ['RUNNING', 1],
        ['SUCCEEDED', 1],
      ]);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function until(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
