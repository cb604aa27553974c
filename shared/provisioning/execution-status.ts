import * as z from 'zod';
import { handleAttachStatus } from '../domains/attach-status.js';
import { describeExecution } from '../integrations/stepfunctions/workflows.js';
import { parseLifecycleExecution } from '../lifecycle/lifecycle-rules.js';
import { handleLifecycleStatus } from '../lifecycle/lifecycle-status.js';
import { logger } from '../platform/logger.js';
import { isInProgress } from '../projects/project-status.js';
import { getProject, type Project } from '../projects/projects-table.js';
import {
  type ExecutionStatus,
  eventSequence,
  isLaterExecution,
  parseExecutionArn,
} from './execution-attempts.js';
import {
  applyExecutionFailure,
  applyExecutionRedriven,
  type EventOutcome,
  type JudgedAgainst,
  recordExecutionEvent,
} from './execution-events-table.js';
import { notifyStaffOfFailure } from './staff-alerts.js';

// Reacts to "Step Functions Execution Status Change" events (EventBridge on AWS, the local runner
// locally): a failed execution puts the project into `error` and tells staff; a redrive (console
// or API) brings it back to where it failed. Lifecycle executions (named <projectId>-<flow>-<run>)
// and attach-domain executions (their input names the domain) are handed to their own contexts. EventBridge neither orders nor de-duplicates these
// events, so an event counts only for the project's current execution and only if it is newer
// than the last one applied; an execution newer than the one we know is confirmed with
// DescribeExecution before it is believed.

export const executionStatusEvent = z.object({
  'detail-type': z.literal('Step Functions Execution Status Change'),
  detail: z.object({
    executionArn: z.string(),
    name: z.string(),
    status: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']),
    input: z.string().nullish(),
    error: z.string().nullish(),
    cause: z.string().nullish(),
    redriveCount: z.coerce.number().int().nullish(),
  }),
});
export type ExecutionStatusEvent = z.infer<typeof executionStatusEvent>;

export type StatusEventOutcome = EventOutcome | 'ignored' | 'stale' | 'recorded' | 'notified';

const FAILURES = new Set<ExecutionStatus>(['FAILED', 'TIMED_OUT', 'ABORTED']);
const ATTEMPTS = 3;

interface Observed {
  executionArn: string;
  status: ExecutionStatus;
  redriveCount: number;
  error?: string | null | undefined;
  cause?: string | null | undefined;
}

export async function handleExecutionStatus(event: ExecutionStatusEvent): Promise<StatusEventOutcome> {
  const d = event.detail;
  const projectId = projectIdOf(d.input);
  if (!projectId) {
    logger.warn('status event without a project id', { executionArn: d.executionArn });
    return 'ignored';
  }
  const lifecycle = parseLifecycleExecution(d.executionArn, projectId);
  if (lifecycle) {
    return handleLifecycleStatus({
      executionArn: d.executionArn,
      status: d.status,
      redriveCount: d.redriveCount ?? 0,
      projectId,
      action: lifecycle.action,
      reason: describeFailure(d.status, d.error, d.cause),
    });
  }
  const domain = attachDomainOf(d.input);
  if (domain) {
    const reason = describeFailure(d.status, d.error, d.cause);
    return handleAttachStatus({ executionArn: d.executionArn, status: d.status, projectId, domain, reason });
  }
  const observed: Observed = { ...d, redriveCount: d.redriveCount ?? 0 };
  // Another writer (a retry, a concurrent event) may change the project between read and write:
  // then judge again on what it looks like now.
  for (let i = 0; i < ATTEMPTS; i++) {
    const outcome = await judge(projectId, observed);
    if (outcome !== 'changed-meanwhile') return outcome;
  }
  return 'changed-meanwhile';
}

async function judge(projectId: string, event: Observed): Promise<StatusEventOutcome> {
  const project = await getProject(projectId);
  const ref = parseExecutionArn(event.executionArn, projectId);
  if (!project || !ref) return 'ignored';

  // SUCCEEDED changes nothing: the flow's last task already moved the project on.
  if (event.status === 'SUCCEEDED') return 'ignored';
  let current = event;
  if (project.executionArn !== event.executionArn) {
    const known = project.executionArn ? parseExecutionArn(project.executionArn, projectId) : null;
    if (known && !isLaterExecution(ref, known)) return 'stale';
    // A newer execution than we know of (its start was not recorded): believe what it is now.
    const actual = await describeExecution(event.executionArn);
    if (!actual) return 'ignored';
    current = actual;
  }
  const seq = eventSequence(current.status, current.redriveCount);
  if (project.executionArn === event.executionArn && project.lastEventSeq !== undefined) {
    if (seq <= project.lastEventSeq) return 'stale';
  }
  const seen: JudgedAgainst = {
    projectId,
    status: project.status,
    executionArn: project.executionArn,
    lastEventSeq: project.lastEventSeq,
  };
  const stamp = { executionArn: event.executionArn, seq };

  if (FAILURES.has(current.status)) return applyFailure(project, seen, stamp, current);
  if (current.status === 'RUNNING' && current.redriveCount > 0 && project.status === 'error') {
    const resume = project.statusBeforeError;
    if (resume && isInProgress(resume)) {
      return applyExecutionRedriven(seen, stamp, {
        resumeStatus: resume,
        log: {
          action: 'retry',
          message: `Execution redriven (redrive ${current.redriveCount})`,
          oldStatus: 'error',
          newStatus: resume,
          externalService: 'stepfunctions',
          externalId: event.executionArn,
        },
      });
    }
  }
  const outcome = await recordExecutionEvent(seen, stamp);
  return outcome === 'applied' ? 'recorded' : outcome;
}

async function applyFailure(
  project: Project,
  seen: JudgedAgainst,
  stamp: { executionArn: string; seq: number },
  event: Observed,
): Promise<StatusEventOutcome> {
  const reason = describeFailure(event.status, event.error, event.cause);
  if (!isInProgress(project.status) && project.status !== 'error') {
    // The project went on (e.g. active) although its execution failed afterwards: nothing to
    // undo, but staff must hear of it — the failed step (a mail, say) did not happen.
    const outcome = await recordExecutionEvent(seen, stamp);
    if (outcome === 'applied') await notifyStaffOfFailure(project, event.status, reason, stamp.executionArn);
    return outcome === 'applied' ? 'recorded' : outcome;
  }
  const outcome = await applyExecutionFailure(seen, stamp, {
    reason,
    statusBeforeError: isInProgress(project.status) ? project.status : undefined,
    log: {
      action: 'error',
      message: reason,
      newStatus: 'error',
      ...(isInProgress(project.status) ? { oldStatus: project.status } : {}),
      externalService: 'stepfunctions',
      externalId: stamp.executionArn,
      ...(event.cause ? { errorDetails: event.cause.slice(0, 4000) } : {}),
    },
  });
  if (outcome === 'applied') {
    await notifyStaffOfFailure(
      { ...project, provisioningRetryCount: project.provisioningRetryCount + 1 },
      event.status,
      reason,
      stamp.executionArn,
    );
  }
  return outcome;
}

/** An attach-domain execution's input names its domain besides the project. */
function attachDomainOf(input: string | null | undefined): string | undefined {
  try {
    const parsed = JSON.parse(input ?? '{}') as { domain?: unknown };
    return typeof parsed.domain === 'string' ? parsed.domain : undefined;
  } catch {
    return undefined;
  }
}

function projectIdOf(input: string | null | undefined): string | undefined {
  if (!input) return undefined;
  try {
    const parsed = JSON.parse(input) as { projectId?: unknown };
    return typeof parsed.projectId === 'string' ? parsed.projectId : undefined;
  } catch {
    return undefined;
  }
}

/** A readable reason from the Step Functions error and cause (Lambda causes are JSON). */
export function describeFailure(status: string, error?: string | null, cause?: string | null): string {
  let message = cause ?? '';
  try {
    const parsed = JSON.parse(message) as { errorMessage?: string };
    if (parsed.errorMessage) message = parsed.errorMessage;
  } catch {
    // plain text cause
  }
  const head = error ? `${error}` : status;
  return (message ? `${head}: ${message}` : head).slice(0, 1000);
}
