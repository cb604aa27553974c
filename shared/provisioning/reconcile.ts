import * as z from 'zod';
import { describeExecution } from '../integrations/stepfunctions/workflows.js';
import { defineConfig } from '../platform/config.js';
import { logger } from '../platform/logger.js';
import { IN_PROGRESS_STATUSES, type InProgressStatus } from '../projects/project-status.js';
import { listAllProjectsInStatus, type Project } from '../projects/projects-table.js';
import { eventSequence } from './execution-attempts.js';
import { markStalled, setCurrentExecution } from './execution-events-table.js';
import { flowExecutionArn } from './flow-runs.js';
import { notifyStaffOfFailure } from './staff-alerts.js';

// The scheduled reconcile job: nothing is stuck unseen. A project in an in-progress status must have
// a running execution; one without (the order was stored but the start was lost, a failure event
// never arrived) goes to `error` with a reason and a staff mail, so a retry can pick it up.

export const reconcileConfig = defineConfig(
  'reconcile',
  z.object({
    /** A project changed more recently than this may still be starting its execution. */
    RECONCILE_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(300),
  }),
);

export interface ReconcileResult {
  checked: number;
  markedError: string[];
}

export async function reconcileProvisioning(now: Date): Promise<ReconcileResult> {
  const settledBefore = now.getTime() - reconcileConfig().RECONCILE_GRACE_SECONDS * 1000;
  const result: ReconcileResult = { checked: 0, markedError: [] };
  for (const status of IN_PROGRESS_STATUSES) {
    for (const project of await listAllProjectsInStatus(status)) {
      if (Date.parse(project.updatedAt) > settledBefore) continue;
      result.checked++;
      if (await markIfStalled(project, status)) result.markedError.push(project.id);
    }
  }
  if (result.markedError.length) logger.warn('reconcile found stalled projects', { ...result });
  return result;
}

async function markIfStalled(project: Project, status: InProgressStatus): Promise<boolean> {
  // Without a recorded execution, the order's first one may still have started.
  const arn = project.executionArn ?? flowExecutionArn('provision-subdomain', project.id, 1);
  const execution = await describeExecution(arn);
  if (execution?.status === 'RUNNING' || execution?.status === 'PENDING_REDRIVE') {
    if (!project.executionArn)
      await setCurrentExecution(project.id, arn, eventSequence('RUNNING', execution.redriveCount));
    return false;
  }
  const reason = execution
    ? `Provisioning stopped in "${status}": its execution is ${execution.status} and nothing is running; staff can retry.`
    : `Provisioning of this order never started; staff can retry.`;
  const outcome = await markStalled(
    { projectId: project.id, status, executionArn: project.executionArn, lastEventSeq: project.lastEventSeq },
    {
      reason,
      log: {
        action: 'error',
        message: reason,
        oldStatus: status,
        newStatus: 'error',
        externalService: 'stepfunctions',
        ...(execution ? { externalId: execution.executionArn } : {}),
      },
    },
  );
  if (outcome !== 'applied') return false; // it moved on meanwhile: not stalled
  await notifyStaffOfFailure(
    { ...project, provisioningRetryCount: project.provisioningRetryCount + 1 },
    execution?.status ?? 'NOT_STARTED',
    reason,
    execution?.executionArn,
  );
  return true;
}
