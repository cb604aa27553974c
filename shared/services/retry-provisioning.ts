import { FLOWS, type Flow, redrive, startFlow } from '../clients/workflows.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { Caller } from '../http/auth.js';
import { canRetryProvisioning } from '../model/project-status.js';
import { appendLog, getProject, transitionProject, updateProject } from '../repositories/projects.js';

// Staff retry (POST /v1/admin/projects/{id}/retry): the same as "Redrive" in the Step Functions
// console — the failed execution resumes at the failed state. The project goes back to its
// in-progress status first, so the resumed task finds it where it left off.

export async function retryProvisioning(caller: Caller, id: string) {
  const project = await getProject(id);
  if (!project) throw new NotFoundError(`Project ${id} not found.`);
  if (!canRetryProvisioning(project.status)) {
    throw new ConflictError(
      `Only projects in status "error" can be retried; this one is "${project.status}".`,
    );
  }
  const resumeStatus = project.statusBeforeError ?? 'pending_domain';
  const changed = await transitionProject(
    id,
    resumeStatus,
    { provisioningError: undefined, statusBeforeError: undefined },
    ['error'],
  );
  // null: another retry moved the project out of `error` first; that one redrives.
  if (changed === null) throw new ConflictError('This project is being retried already.');

  try {
    let executionArn = project.executionArn;
    const outcome = executionArn ? await redrive(executionArn) : 'not-redrivable';
    if (outcome === 'not-redrivable') {
      // Never started, or past the 14-day redrive window: start the flow again under a new name.
      const { flow, attempt } = parseExecution(executionArn, id);
      executionArn = await startFlow(flow, { projectId: id }, executionArn ? attempt + 1 : attempt);
      await updateProject(id, { executionArn });
    }
    await appendLog({
      projectId: id,
      action: 'retry',
      message: outcome === 'redriven' ? 'Staff redrove the failed execution' : 'Staff restarted provisioning',
      oldStatus: 'error',
      newStatus: resumeStatus,
      externalService: 'stepfunctions',
      externalId: executionArn,
      triggeredBy: caller.email,
    });
    return { projectId: id, status: resumeStatus, executionArn: executionArn! };
  } catch (err) {
    await transitionProject(id, 'error', {
      statusBeforeError: resumeStatus,
      provisioningError: `Retry could not be started: ${(err as Error).message}`,
    });
    throw err;
  }
}

function parseExecution(arn: string | undefined, projectId: string): { flow: Flow; attempt: number } {
  const name = arn?.split(':').pop() ?? '';
  const rest = name.startsWith(`${projectId}-`) ? name.slice(projectId.length + 1) : '';
  const match = /^(.*)-(\d+)$/.exec(rest);
  const flow = FLOWS.find((f) => f === match?.[1]) ?? 'provision-subdomain';
  return { flow, attempt: match ? Number(match[2]) : 1 };
}
