// What to do with an execution that already holds a flow's deterministic name. StartExecution
// answers ExecutionAlreadyExists for a closed execution of that name (90 days), so "it exists" never
// means "it runs": the execution's own status decides.

import {
  type ExecutionStatus,
  PROJECT_FLOWS,
  type ProjectFlow,
} from '../integrations/stepfunctions/workflows.js';

export type { ExecutionStatus } from '../integrations/stepfunctions/workflows.js';

export type ExistingExecutionStep = 'adopt' | 'redrive' | 'next-attempt';

export function stepForExistingExecution(
  status: ExecutionStatus,
  redrivable: boolean,
): ExistingExecutionStep {
  // PENDING_REDRIVE: a redrive has been accepted and is about to run.
  if (status === 'RUNNING' || status === 'PENDING_REDRIVE') return 'adopt';
  // A failed one resumes where it failed; a succeeded or expired one is history: start afresh
  // (every task is idempotent, so the next attempt only does what is left).
  if (status !== 'SUCCEEDED' && redrivable) return 'redrive';
  return 'next-attempt';
}

/**
 * Status events are applied in execution order whatever order EventBridge delivers them in:
 * RUNNING of redrive n comes before its end, which comes before RUNNING of redrive n + 1.
 */
export function eventSequence(status: ExecutionStatus, redriveCount: number): number {
  return redriveCount * 2 + (status === 'RUNNING' || status === 'PENDING_REDRIVE' ? 0 : 1);
}

export function executionName(projectId: string, flow: ProjectFlow, attempt: number): string {
  return `${projectId}-${flow}-${attempt}`;
}

export interface ExecutionRef {
  flow: ProjectFlow;
  attempt: number;
}

/** Flow and attempt of one of a project's executions, from its ARN (null if it is not one of ours). */
export function parseExecutionArn(arn: string, projectId: string): ExecutionRef | null {
  const name = arn.split(':').pop() ?? '';
  if (!name.startsWith(`${projectId}-`)) return null;
  const match = /^(.*)-(\d+)$/.exec(name.slice(projectId.length + 1));
  const flow = PROJECT_FLOWS.find((f) => f === match?.[1]);
  return flow && match ? { flow, attempt: Number(match[2]) } : null;
}

/** Whether execution `a` was started after `b` for the same project (later flow, or later attempt). */
export function isLaterExecution(a: ExecutionRef, b: ExecutionRef): boolean {
  const rank = (r: ExecutionRef) => PROJECT_FLOWS.indexOf(r.flow);
  return rank(a) !== rank(b) ? rank(a) > rank(b) : a.attempt > b.attempt;
}
