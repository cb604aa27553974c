import {
  DescribeExecutionCommand,
  RedriveExecutionCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import * as z from 'zod';
import { awsClientOptions } from '../../platform/aws-client-options.js';
import { defineConfig } from '../../platform/config.js';
import { sdkCallOptions } from '../../platform/deadline.js';
import { ExternalServiceError } from '../../platform/errors.js';

// The Step Functions client for our state machines: start (by name), describe and redrive
// executions, with errors mapped to our own. Which execution to start or redrive is the flow
// owner's decision (shared/provisioning/flow-runs.ts, shared/lifecycle/lifecycle-runs.ts).

/** The project's provisioning state machines, in the order a project passes through them. */
export const PROJECT_FLOWS = ['provision-subdomain', 'deploy-project'] as const;
export type ProjectFlow = (typeof PROJECT_FLOWS)[number];
/** Staff's lifecycle actions on a live project, one state machine each (shared/lifecycle). */
export const LIFECYCLE_FLOWS = [
  'suspend-project',
  'resume-project',
  'archive-project',
  'takeover-project',
] as const;
export type LifecycleFlow = (typeof LIFECYCLE_FLOWS)[number];
/**
 * Every state machine: the project's, attach-domain (one execution per custom domain and attempt)
 * and the lifecycle flows (one execution per lifecycle request of a project).
 */
export const FLOWS = [...PROJECT_FLOWS, 'attach-domain', ...LIFECYCLE_FLOWS] as const;
export type Flow = (typeof FLOWS)[number];

export type ExecutionStatus =
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMED_OUT'
  | 'ABORTED'
  | 'PENDING_REDRIVE';

// Each function gets only the ARNs of the flows it uses (a state machine's own task cannot
// reference that state machine without a dependency cycle in the stack).
const config = defineConfig(
  'workflows',
  z.object({
    PROVISION_SUBDOMAIN_STATE_MACHINE_ARN: z.string().startsWith('arn:').optional(),
    DEPLOY_PROJECT_STATE_MACHINE_ARN: z.string().startsWith('arn:').optional(),
    ATTACH_DOMAIN_STATE_MACHINE_ARN: z.string().startsWith('arn:').optional(),
    SUSPEND_PROJECT_STATE_MACHINE_ARN: z.string().startsWith('arn:').optional(),
    RESUME_PROJECT_STATE_MACHINE_ARN: z.string().startsWith('arn:').optional(),
    ARCHIVE_PROJECT_STATE_MACHINE_ARN: z.string().startsWith('arn:').optional(),
    TAKEOVER_PROJECT_STATE_MACHINE_ARN: z.string().startsWith('arn:').optional(),
  }),
);

function stateMachineArn(flow: Flow): string {
  const c = config();
  const arn = {
    'provision-subdomain': c.PROVISION_SUBDOMAIN_STATE_MACHINE_ARN,
    'deploy-project': c.DEPLOY_PROJECT_STATE_MACHINE_ARN,
    'attach-domain': c.ATTACH_DOMAIN_STATE_MACHINE_ARN,
    'suspend-project': c.SUSPEND_PROJECT_STATE_MACHINE_ARN,
    'resume-project': c.RESUME_PROJECT_STATE_MACHINE_ARN,
    'archive-project': c.ARCHIVE_PROJECT_STATE_MACHINE_ARN,
    'takeover-project': c.TAKEOVER_PROJECT_STATE_MACHINE_ARN,
  }[flow];
  if (!arn) throw new Error(`Invalid workflows configuration: no state machine ARN for flow "${flow}"`);
  return arn;
}

let client: SFNClient | undefined;
const sfn = () => (client ??= new SFNClient(awsClientOptions));

/** Execution ARN from the state machine ARN and execution name (AWS's documented format). */
export function executionArnOf(flow: Flow, name: string): string {
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

/**
 * Starts an execution named `name` with this input (`{ projectId }`, plus the domain for
 * attach-domain). Returns its ARN, or null when the name is taken (by a closed execution, or one
 * with other input): the caller looks at that one.
 */
export async function startExecution(
  flow: Flow,
  name: string,
  input: { projectId: string; [field: string]: unknown },
): Promise<string | null> {
  try {
    const out = await sfn().send(
      new StartExecutionCommand({
        stateMachineArn: stateMachineArn(flow),
        name,
        input: JSON.stringify(input),
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
export async function redriveExecution(executionArn: string): Promise<boolean> {
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

/** SendTaskSuccess; false when the task no longer waits (already answered, timed out, stopped). */
export async function sendTaskSuccess(taskToken: string, output: unknown): Promise<boolean> {
  try {
    await sfn().send(
      new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }),
      sdkCallOptions(),
    );
    return true;
  } catch (err) {
    if (TASK_GONE.has((err as Error).name)) return false;
    throw mapSfnError(err, 'complete a waiting task');
  }
}

/** SendTaskFailure with one of our error names (the flow's Catch decides what follows). */
export async function sendTaskFailure(taskToken: string, error: string, cause: string): Promise<boolean> {
  try {
    await sfn().send(new SendTaskFailureCommand({ taskToken, error, cause }), sdkCallOptions());
    return true;
  } catch (err) {
    if (TASK_GONE.has((err as Error).name)) return false;
    throw mapSfnError(err, 'fail a waiting task');
  }
}

const TASK_GONE = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);
