import * as z from 'zod';
import { mailConfig, sendMail } from '../clients/mailer.js';
import { logger } from '../logger.js';
import { provisioningFailedMail } from '../mail/templates.js';
import { IN_PROGRESS_STATUSES, isInProgress } from '../model/project-status.js';
import { applyExecutionFailure, applyExecutionRedriven } from '../repositories/execution-events.js';
import { getProject } from '../repositories/projects.js';

// Reacts to "Step Functions Execution Status Change" events (EventBridge on AWS, the local runner
// locally): a failed execution puts the project into `error` and tells staff; a redrive (console
// or API) brings it back to where it failed.

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

const FAILURES = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

export async function handleExecutionStatus(event: ExecutionStatusEvent): Promise<string> {
  const d = event.detail;
  const projectId = projectIdOf(d.input);
  if (!projectId) {
    logger.warn('status event without a project id', { executionArn: d.executionArn });
    return 'ignored';
  }
  const redriveCount = d.redriveCount ?? 0;

  if (FAILURES.has(d.status)) {
    const reason = describeFailure(d.status, d.error, d.cause);
    const outcome = await applyExecutionFailure({
      projectId,
      executionArn: d.executionArn,
      redriveCount,
      status: d.status,
      reason,
      failedIn: [...IN_PROGRESS_STATUSES],
      log: {
        action: 'error',
        message: reason,
        newStatus: 'error',
        externalService: 'stepfunctions',
        externalId: d.executionArn,
        ...(d.cause ? { errorDetails: d.cause.slice(0, 4000) } : {}),
      },
    });
    if (outcome === 'applied') await notifyStaff(projectId, d.status, reason, d.executionArn);
    return outcome;
  }

  if (d.status === 'RUNNING' && redriveCount > 0) {
    const project = await getProject(projectId);
    const resume = project?.statusBeforeError;
    if (project?.status !== 'error' || !resume || !isInProgress(resume)) return 'not-applicable';
    return applyExecutionRedriven({
      projectId,
      executionArn: d.executionArn,
      redriveCount,
      resumeStatus: resume,
      log: {
        action: 'retry',
        message: `Execution redriven (redrive ${redriveCount})`,
        oldStatus: 'error',
        newStatus: resume,
        externalService: 'stepfunctions',
        externalId: d.executionArn,
      },
    });
  }
  return 'ignored';
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

async function notifyStaff(
  projectId: string,
  status: string,
  reason: string,
  executionArn: string,
): Promise<void> {
  const project = await getProject(projectId);
  try {
    await sendMail(
      mailConfig().STAFF_EMAIL,
      provisioningFailedMail({
        projectName: project?.name ?? projectId,
        projectId,
        status,
        reason,
        executionArn,
        retryCount: project?.provisioningRetryCount ?? 0,
      }),
    );
  } catch (err) {
    // The project already shows the error; a lost staff mail must not undo that.
    logger.error('staff mail failed', { projectId, err });
  }
}
