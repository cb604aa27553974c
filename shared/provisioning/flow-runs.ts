import {
  describeExecution,
  executionArnOf,
  type Flow,
  type ProjectFlow,
  redriveExecution,
  startExecution,
} from '../integrations/stepfunctions/workflows.js';
import { ExternalServiceError } from '../platform/errors.js';
import { executionName, stepForExistingExecution } from './execution-attempts.js';

// Making sure a flow works on a project, under deterministic execution names
// (<projectId>-<flow>-<attempt>), so a repeated trigger never starts a second execution.

export interface FlowRun {
  executionArn: string;
  /** started: a new execution; redriven: a failed one resumed; running: one was running already. */
  how: 'started' | 'redriven' | 'running';
  /** The execution's redrive count now (its RUNNING event carries the same). */
  redriveCount: number;
}

const MAX_STEPS = 6;

/** The ARN the execution of `flow` for the project has at `attempt` (whether it exists or not). */
export const flowExecutionArn = (flow: ProjectFlow, projectId: string, attempt: number) =>
  executionArnOf(flow, executionName(projectId, flow, attempt));

/**
 * Makes sure an execution of `flow` works on the project, starting at attempt `fromAttempt`: a
 * name that is taken is looked at — a running execution is adopted, a failed one redriven, a
 * finished or expired one skipped for the next attempt. Never two executions running at once.
 */
export function ensureFlowRunning(flow: ProjectFlow, projectId: string, fromAttempt = 1): Promise<FlowRun> {
  return ensureRunning(
    flow,
    (attempt) => executionName(projectId, flow, attempt),
    { projectId },
    fromAttempt,
  );
}

/** The same for any flow: `nameOf(attempt)` gives the deterministic execution name. */
export async function ensureRunning(
  flow: Flow,
  nameOf: (attempt: number) => string,
  input: { projectId: string; [field: string]: unknown },
  fromAttempt = 1,
): Promise<FlowRun> {
  let attempt = fromAttempt;
  for (let step = 0; step < MAX_STEPS; step++) {
    const started = await startExecution(flow, nameOf(attempt), input);
    if (started) return { executionArn: started, how: 'started', redriveCount: 0 };
    const arn = executionArnOf(flow, nameOf(attempt));
    const existing = await describeExecution(arn);
    if (!existing) continue; // deleted meanwhile: start under the same name
    switch (stepForExistingExecution(existing.status, existing.redrivable)) {
      case 'adopt':
        return { executionArn: arn, how: 'running', redriveCount: existing.redriveCount };
      case 'redrive':
        if (await redriveExecution(arn))
          return { executionArn: arn, how: 'redriven', redriveCount: existing.redriveCount + 1 };
        break; // somebody else redrove it or it expired: look again
      case 'next-attempt':
        attempt++;
        break;
    }
  }
  throw new ExternalServiceError('aws', `could not start ${flow} for ${input.projectId}`, true);
}
