import {
  DescribeExecutionCommand,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import * as z from 'zod';
import { awsClientOptions } from '../../platform/aws-client-options.js';
import { defineConfig } from '../../platform/config.js';
import { sdkCallOptions } from '../../platform/deadline.js';
import { ExternalServiceError } from '../../platform/errors.js';
import {
  type ExecutionStatus,
  executionName,
  type FlowName,
  stepForExistingExecution,
} from '../../provisioning/execution-attempts.js';

// Starting, describing and redriving the provisioning state machines. Executions get deterministic
// names (<projectId>-<flow>-<attempt>), so a repeated trigger cannot start a second one.

export { executionName, FLOWS } from '../../provisioning/execution-attempts.js';
export type Flow = FlowName;

// Each function gets only the ARNs of the flows it uses (a state machine's own task cannot
// reference that state machine without a dependency cycle in the stack).
const config = defineConfig(
  'workflows',
  z.object({
    PROVISION_SUBDOMAIN_STATE_MACHINE_ARN: z.string().startsWith('arn:').optional(),
    DEPLOY_PROJECT_STATE_MACHINE_ARN: z.string().startsWith('arn:').optional(),
  }),
);

function stateMachineArn(flow: Flow): string {
  const c = config();
  const arn =
    flow === 'provision-subdomain'
      ? c.PROVISION_SUBDOMAIN_STATE_MACHINE_ARN
      : c.DEPLOY_PROJECT_STATE_MACHINE_ARN;
  if (!arn) throw new Error(`Invalid workflows configuration: no state machine ARN for flow "${flow}"`);
  return arn;
}

let client: SFNClient | undefined;
const sfn = () => (client ??= new SFNClient(awsClientOptions));

/** Execution ARN from the state machine ARN and execution name (AWS's documented format). */
export function executionArnOf(flow: Flow, projectId: string, attempt: number): string {
  const name = executionName(projectId, flow, attempt);
  return `${stateMachineArn(flow).replace(':stateMachine:', ':execution:')}:${name}`;
}

export interface ExecutionState {
  executionArn: string;
  status: ExecutionStatus;
  redriveCount: number;
  redrivable: boolean;
  error?: string;
  cause?: string;
}

/** The execution as Step Functions sees it now; null when there is none of that ARN. */
export async function describeExecution(executionArn: string): Promise<ExecutionState | null> {
  try {
    const d = await sfn().send(new DescribeExecutionCommand({ executionArn }), sdkCallOptions());
    return {
      executionArn,
      status: d.status as ExecutionStatus,
      redriveCount: d.redriveCount ?? 0,
      redrivable: d.redriveStatus === 'REDRIVABLE',
      ...(d.error ? { error: d.error } : {}),
      ...(d.cause ? { cause: d.cause } : {}),
    };
  } catch (err) {
    if ((err as Error).name === 'ExecutionDoesNotExist') return null;
    throw mapSfnError(err, 'describe an execution');
  }
}

export interface FlowRun {
  executionArn: string;
  /** started: a new execution; redriven: a failed one resumed; running: one was running already. */
  how: 'started' | 'redriven' | 'running';
  /** The execution's redrive count now (its RUNNING event carries the same). */
  redriveCount: number;
}

const MAX_STEPS = 6;

/**
 * Makes sure an execution of `flow` works on the project, starting at attempt `fromAttempt`: a
 * name that is taken is looked at — a running execution is adopted, a failed one redriven, a
 * finished or expired one skipped for the next attempt. Never two executions running at once.
 */
export async function ensureFlowRunning(flow: Flow, projectId: string, fromAttempt = 1): Promise<FlowRun> {
  let attempt = fromAttempt;
  for (let step = 0; step < MAX_STEPS; step++) {
    const name = executionName(projectId, flow, attempt);
    const started = await tryStart(flow, name, projectId);
    if (started) return { executionArn: started, how: 'started', redriveCount: 0 };
    const arn = executionArnOf(flow, projectId, attempt);
    const existing = await describeExecution(arn);
    if (!existing) continue; // deleted meanwhile: start under the same name
    switch (stepForExistingExecution(existing.status, existing.redrivable)) {
      case 'adopt':
        return { executionArn: arn, how: 'running', redriveCount: existing.redriveCount };
      case 'redrive':
        if (await redrive(arn))
          return { executionArn: arn, how: 'redriven', redriveCount: existing.redriveCount + 1 };
        break; // somebody else redrove it or it expired: look again
      case 'next-attempt':
        attempt++;
        break;
    }
  }
  throw new ExternalServiceError('aws', `could not start ${flow} for ${projectId}`, true);
}

/** The new execution's ARN, or null when the name is taken by an execution that is not running. */
async function tryStart(flow: Flow, name: string, projectId: string): Promise<string | null> {
  try {
    const out = await sfn().send(
      new StartExecutionCommand({
        stateMachineArn: stateMachineArn(flow),
        name,
        input: JSON.stringify({ projectId }),
      }),
      sdkCallOptions(),
    );
    return out.executionArn!;
  } catch (err) {
    if ((err as Error).name === 'ExecutionAlreadyExists') return null;
    throw mapSfnError(err, `start ${flow}`);
  }
}

/** True when redriven; false when the execution cannot be redriven (running, succeeded, expired). */
async function redrive(executionArn: string): Promise<boolean> {
  try {
    await sfn().send(new RedriveExecutionCommand({ executionArn }), sdkCallOptions());
    return true;
  } catch (err) {
    if ((err as Error).name === 'ExecutionNotRedrivable') return false;
    throw mapSfnError(err, 'redrive');
  }
}

function mapSfnError(err: unknown, what: string): ExternalServiceError {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode ?? 0;
  const transient =
    status >= 500 ||
    status === 0 ||
    e.name === 'ThrottlingException' ||
    e.name === 'TimeoutError' ||
    e.name === 'AbortError';
  return new ExternalServiceError(
    'aws',
    `Step Functions could not ${what}: ${e.name ?? 'error'}`,
    transient,
    e.name,
  );
}
