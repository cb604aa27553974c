import { appendLog, getProject } from '../../projects/projects-table.js';
import { eventSequence } from '../execution-attempts.js';
import { setCurrentExecution } from '../execution-events-table.js';
import { ensureFlowRunning } from '../flow-runs.js';
import { requireInProgress } from './guards.js';

// Task StartDeployFlow: the domain is ready; hand the project to the shared deploy-project flow.
// Chaining (not nesting) keeps every failure in exactly one execution, the one staff redrive.
// A deploy execution of that name that failed earlier is redriven, never taken as "started".

export async function startDeployFlow(
  projectId: string,
): Promise<{ projectId: string; deployExecutionArn: string }> {
  const project = requireInProgress(await getProject(projectId), projectId);
  const run = await ensureFlowRunning('deploy-project', projectId);
  if (project.executionArn !== run.executionArn) {
    await setCurrentExecution(projectId, run.executionArn, eventSequence('RUNNING', run.redriveCount));
    await appendLog({
      projectId,
      action: 'deploy_flow_started',
      message:
        run.how === 'redriven'
          ? 'Domain ready; the failed deployment flow resumes'
          : 'Domain ready; deployment flow started',
      externalService: 'stepfunctions',
      externalId: run.executionArn,
    });
  }
  return { projectId, deployExecutionArn: run.executionArn };
}
