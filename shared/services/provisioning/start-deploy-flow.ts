import { startFlow } from '../../clients/workflows.js';
import { appendLog, getProject, updateProject } from '../../repositories/projects.js';
import { requireInProgress } from './guards.js';

// Task StartDeployFlow: the domain is ready; hand the project to the shared deploy-project flow.
// Chaining (not nesting) keeps every failure in exactly one execution, the one staff redrive.

export async function startDeployFlow(
  projectId: string,
): Promise<{ projectId: string; deployExecutionArn: string }> {
  const project = requireInProgress(await getProject(projectId), projectId);
  const arn = await startFlow('deploy-project', { projectId });
  if (project.executionArn !== arn) {
    await updateProject(projectId, { executionArn: arn });
    await appendLog({
      projectId,
      action: 'deploy_flow_started',
      message: 'Domain ready; deployment flow started',
      externalService: 'stepfunctions',
      externalId: arn,
    });
  }
  return { projectId, deployExecutionArn: arn };
}
