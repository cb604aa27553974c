import { describeExecution } from '../integrations/stepfunctions/workflows.js';
import { ConflictError, NotFoundError } from '../platform/errors.js';
import type { Caller } from '../platform/http/auth.js';
import { canRetryProvisioning } from '../projects/project-status.js';
import { appendLog, getProject, transitionProject } from '../projects/projects-table.js';
import { eventSequence, parseExecutionArn } from './execution-attempts.js';
import { setCurrentExecution } from './execution-events-table.js';
import { ensureFlowRunning } from './flow-runs.js';
import { mailOrderAccepted } from './order-mails.js';

// Staff retry (POST /v1/admin/projects/{id}/retry): the same as "Redrive" in the Step Functions
// console — the failed execution resumes at the failed state; one that cannot be redriven (never
// started, succeeded, past the redrive window) is followed by the flow's next attempt. The project
// goes back to its in-progress status first, so the resumed task finds it where it left off.

export async function retryProvisioning(caller: Caller, id: string) {
  const project = await getProject(id);
  if (!project) throw new NotFoundError(`Project ${id} not found.`);
  if (!canRetryProvisioning(project.status)) {
    throw new ConflictError(
      `Only projects in status "error" can be retried; this one is "${project.status}".`,
    );
  }
  const current = project.executionArn ? await describeExecution(project.executionArn) : null;
  if (current?.status === 'RUNNING' || current?.status === 'PENDING_REDRIVE') {
    throw new ConflictError('Provisioning of this project is running already; nothing was started.');
  }
  const resumeStatus = project.statusBeforeError ?? 'pending_domain';
  const changed = await transitionProject(id, resumeStatus, {
    fields: { provisioningError: undefined, statusBeforeError: undefined },
    from: ['error'],
    log: {
      action: 'retry',
      message: 'Staff retried provisioning',
      oldStatus: 'error',
      triggeredBy: caller.email,
    },
  });
  // Another retry moved the project out of `error` first; that one redrives.
  if (!changed) throw new ConflictError('This project is being retried already.');

  try {
    const ref = project.executionArn ? parseExecutionArn(project.executionArn, id) : null;
    const run = await ensureFlowRunning(ref?.flow ?? 'provision-subdomain', id, ref?.attempt ?? 1);
    await setCurrentExecution(id, run.executionArn, eventSequence('RUNNING', run.redriveCount));
    await appendLog({
      projectId: id,
      action: 'retry_started',
      message: run.how === 'redriven' ? 'The failed execution resumes' : 'Provisioning starts again',
      externalService: 'stepfunctions',
      externalId: run.executionArn,
      triggeredBy: caller.email,
    });
    // The order's first execution (its start had failed): the owner hears of it now, once.
    if (!ref) await mailOrderAccepted(id, { started: true });
    return { projectId: id, status: resumeStatus, executionArn: run.executionArn };
  } catch (err) {
    await transitionProject(id, 'error', {
      fields: {
        statusBeforeError: resumeStatus,
        provisioningError: `Retry could not be started: ${(err as Error).message}`,
      },
      log: {
        action: 'error',
        message: `Retry could not be started: ${(err as Error).message}`,
        oldStatus: resumeStatus,
      },
    });
    throw err;
  }
}
