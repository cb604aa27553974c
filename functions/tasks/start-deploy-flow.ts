import { taskHandler } from '../../shared/platform/lambda/task-handler.js';
import { startDeployFlow } from '../../shared/provisioning/tasks/start-deploy-flow.js';
import { projectInput } from '../../shared/provisioning/tasks/task-input.js';

export const handler = taskHandler('StartDeployFlow', projectInput, ({ projectId }) =>
  startDeployFlow(projectId),
);
