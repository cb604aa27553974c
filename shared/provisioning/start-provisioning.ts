import { logger } from '../platform/logger.js';
import { transitionProject } from '../projects/projects-table.js';
import { eventSequence } from './execution-attempts.js';
import { setCurrentExecution } from './execution-events-table.js';
import { ensureFlowRunning } from './flow-runs.js';
import { mailOrderAccepted } from './order-mails.js';

/**
 * Starts a stored order's provisioning (the project is `pending_domain`), once: the execution's
 * name is deterministic, so a repeated start — a webhook delivered five times — finds the running
 * one. Should the start fail, the project goes to `error` for a staff retry instead of being lost;
 * should even that fail, the reconcile job finds the project without an execution. The owner gets
 * the order confirmation, and once the execution runs "provisioning started", each once.
 */
export async function startProvisioning(projectId: string): Promise<void> {
  try {
    const run = await ensureFlowRunning('provision-subdomain', projectId);
    await setCurrentExecution(projectId, run.executionArn, eventSequence('RUNNING', run.redriveCount));
  } catch (err) {
    logger.error('could not start provisioning', { projectId, err });
    await transitionProject(projectId, 'error', {
      from: ['pending_domain'],
      fields: {
        statusBeforeError: 'pending_domain',
        provisioningError: 'Provisioning could not be started; staff can retry.',
      },
      log: {
        action: 'error',
        message: `Provisioning could not be started: ${(err as Error).message}`,
        oldStatus: 'pending_domain',
        externalService: 'stepfunctions',
      },
    });
    // Accepted all the same: staff retry the start.
    await mailOrderAccepted(projectId, { started: false });
    return;
  }
  // The order is accepted and its execution runs: the owner is told, once each (order-mails.ts).
  await mailOrderAccepted(projectId, { started: true });
}
