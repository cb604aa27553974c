import '../../infra/local/engines/polyfills.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalAwsEndpoint, startLocalAwsEndpoint } from '../../infra/local/engines/aws-endpoint.js';
import { LocalStepFunctions } from '../../infra/local/engines/step-functions/local-step-functions.js';
import type {
  LocalStateMachineConfig,
  StepFunctionsStatusChangeEvent,
  TaskHandler,
} from '../../infra/local/engines/step-functions/types.js';
import { FaultRegistry } from '../../infra/local/simulators/faults.js';
import { LocalMailbox } from '../../infra/local/simulators/mail.js';

// Callback tasks in the local Step Functions engine: a `.waitForTaskToken` state hands its token to
// a Lambda and waits, costing nothing, until SendTaskSuccess/Failure (here through the real SDK
// client and the local AWS endpoint) or its TimeoutSeconds; a restart does not lose the wait.

const REGION = 'eu-central-1';
const ACCOUNT = '000000000000';
const fnArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
const machineArn = (name: string) => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;

const machine = (name: string, timeoutSeconds: number): LocalStateMachineConfig => ({
  name,
  arn: machineArn(name),
  definition: {
    StartAt: 'AwaitRegistry',
    States: {
      AwaitRegistry: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          FunctionName: fnArn('park'),
          Payload: { 'taskToken.$': '$$.Task.Token', 'domain.$': '$.domain' },
        },
        TimeoutSeconds: timeoutSeconds,
        ResultPath: '$.registry',
        Catch: [
          { ErrorEquals: ['Domain.Refused', 'States.Timeout'], ResultPath: '$.failure', Next: 'Refused' },
        ],
        Next: 'Registered',
      },
      Registered: { Type: 'Pass', End: true },
      Refused: { Type: 'Pass', End: true },
    },
  },
});

/** Tokens the parking Lambda was handed, per domain (it may be handed the same one again). */
const parked = new Map<string, string[]>();
let answerAtOnce: ((token: string) => Promise<void>) | undefined;
const taskHandlers: Record<string, TaskHandler> = {
  [fnArn('park')]: async (payload) => {
    const { taskToken, domain } = payload as { taskToken: string; domain: string };
    parked.set(domain, [...(parked.get(domain) ?? []), taskToken]);
    if (domain.startsWith('early')) await answerAtOnce?.(taskToken);
    return { parked: true };
  },
};

const machines = [machine('callback', 3600), machine('callback-short', 1)];
let sfnLocal: LocalStepFunctions;
let endpoint: LocalAwsEndpoint;
let sfn: SFNClient;

beforeAll(async () => {
  sfnLocal = new LocalStepFunctions({ stateMachines: machines, taskHandlers, retryIntervalMs: 10 });
  endpoint = await startLocalAwsEndpoint({
    stepFunctions: sfnLocal,
    secrets: {},
    mail: new LocalMailbox({ faults: new FaultRegistry() }),
  });
  sfn = new SFNClient({
    endpoint: endpoint.url,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(async () => {
  await endpoint?.close();
  await sfnLocal?.close();
});

async function start(sf: LocalStepFunctions, name: string, domain: string, machineName = 'callback') {
  const { executionArn } = await sf.startExecution({
    stateMachineArn: machineArn(machineName),
    name,
    input: { domain },
  });
  return executionArn;
}

async function tokenOf(domain: string, count = 1): Promise<string> {
  const deadline = Date.now() + 5_000;
  while ((parked.get(domain)?.length ?? 0) < count) {
    if (Date.now() > deadline) throw new Error(`no token parked for ${domain}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return parked.get(domain)!.at(-1)!;
}

const apiError = (p: Promise<unknown>) =>
  p.then(
    () => 'no error',
    (e: Error) => e.name,
  );

describe('a callback task', () => {
  it('waits for SendTaskSuccess and continues with its output; a second answer is TaskTimedOut', async () => {
    const arn = await start(sfnLocal, 'ok-1', 'ok.de');
    const token = await tokenOf('ok.de');
    expect(token).toMatch(/^local-/);
    await new Promise((r) => setTimeout(r, 100));
    expect((await sfnLocal.describeExecution(arn)).status).toBe('RUNNING');

    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"status":"OK"}' }));
    const done = await sfnLocal.waitForExecution(arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ domain: 'ok.de', registry: { status: 'OK' } });

    expect(await apiError(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })))).toBe(
      'TaskTimedOut',
    );
    expect(
      await apiError(sfn.send(new SendTaskSuccessCommand({ taskToken: 'local-nope', output: '{}' }))),
    ).toBe('TaskDoesNotExist');
  });

  it('fails with the error SendTaskFailure names, which Catch can take', async () => {
    const arn = await start(sfnLocal, 'refused-1', 'refused.de');
    const token = await tokenOf('refused.de');
    await sfn.send(
      new SendTaskFailureCommand({ taskToken: token, error: 'Domain.Refused', cause: 'wrong auth code' }),
    );
    const done = await sfnLocal.waitForExecution(arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!).failure).toEqual({ Error: 'Domain.Refused', Cause: 'wrong auth code' });
    expect(done.history.map((h) => h.state).filter(Boolean)).toContain('Refused');
  });

  it('times out as States.Timeout after its TimeoutSeconds', async () => {
    const arn = await start(sfnLocal, 'slow-1', 'slow.de', 'callback-short');
    const token = await tokenOf('slow.de');
    const done = await sfnLocal.waitForExecution(arn, 5_000);
    expect(JSON.parse(done.output!).failure.Error).toBe('States.Timeout');
    expect(await apiError(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })))).toBe(
      'TaskTimedOut',
    );
  });

  it('takes an answer sent while its Lambda still runs', async () => {
    answerAtOnce = async (token) => {
      await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"status":"OK"}' }));
    };
    const arn = await start(sfnLocal, 'early-1', 'early.de');
    const done = await sfnLocal.waitForExecution(arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!).registry).toEqual({ status: 'OK' });
  });

  it('keeps waiting across a restart, with the same token, and no new status events', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'local-sfn-tokens-'));
    const persistPath = join(dir, 'executions.json');
    try {
      const first = new LocalStepFunctions({ stateMachines: machines, taskHandlers, persistPath });
      const arn = await start(first, 'restart-1', 'restart.de');
      const token = await tokenOf('restart.de');
      await first.close();

      const events: StepFunctionsStatusChangeEvent[] = [];
      const second = new LocalStepFunctions({
        stateMachines: machines,
        taskHandlers,
        persistPath,
        onStatusChange: async (e) => {
          events.push(e);
        },
      });
      // The resumed state hands its Lambda the same token again (what the waiting side stored stays valid).
      expect(await tokenOf('restart.de', 2)).toBe(token);
      expect((await second.describeExecution(arn)).status).toBe('RUNNING');
      await second.sendTaskSuccess({ taskToken: token, output: '{"status":"OK"}' });
      const done = await second.waitForExecution(arn);
      expect(done.status).toBe('SUCCEEDED');
      expect(done.redriveCount).toBe(0);
      expect(events.map((e) => e.detail.status)).toEqual(['SUCCEEDED']);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
