import { RedriveExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';

import * as z from 'zod';
import { defineConfig } from '../config.js';
import { ExternalServiceError } from '../errors.js';
import { awsClientOptions } from './aws-client-options.js';

// Starting and redriving the provisioning state machines. Executions get deterministic names
// (<projectId>-<flow>-<attempt>), so a repeated trigger cannot start a second one.

export const FLOWS = ['provision-subdomain', 'deploy-project'] as const;
export type Flow = (typeof FLOWS)[number];

// Each function gets only the ARNs of the flows it starts (a state machine's own task cannot
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

export function executionName(projectId: string, flow: Flow, attempt: number): string {
  return `${projectId}-${flow}-${attempt}`;
}

export interface FlowInput {
  projectId: string;
}

/**
 * Starts `flow` for the project. Returns the execution ARN; if an execution of that name already
 * exists (a repeated trigger) it returns that execution's ARN instead of starting another.
 */
export async function startFlow(flow: Flow, input: FlowInput, attempt = 1): Promise<string> {
  const name = executionName(input.projectId, flow, attempt);
  const arn = stateMachineArn(flow);
  try {
    const out = await sfn().send(
      new StartExecutionCommand({ stateMachineArn: arn, name, input: JSON.stringify(input) }),
    );
    return out.executionArn!;
  } catch (err) {
    if ((err as Error).name === 'ExecutionAlreadyExists') return executionArnFor(arn, name);
    throw mapSfnError(err, `start ${flow}`);
  }
}

/** Execution ARN from the state machine ARN and execution name (AWS's documented format). */
function executionArnFor(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

export type RedriveOutcome = 'redriven' | 'not-redrivable';

export async function redrive(executionArn: string): Promise<RedriveOutcome> {
  try {
    await sfn().send(new RedriveExecutionCommand({ executionArn }));
    return 'redriven';
  } catch (err) {
    if ((err as Error).name === 'ExecutionNotRedrivable') return 'not-redrivable';
    throw mapSfnError(err, 'redrive');
  }
}

function mapSfnError(err: unknown, what: string): ExternalServiceError {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode ?? 0;
  const transient = status >= 500 || status === 0 || e.name === 'ThrottlingException';
  return new ExternalServiceError(
    'aws',
    `Step Functions could not ${what}: ${e.name ?? 'error'}`,
    transient,
    e.name,
  );
}
