import { startDeployFlow } from '../../shared/services/provisioning/start-deploy-flow.js';
import { projectInput } from '../../shared/services/provisioning/task-input.js';
import { taskHandler } from '../../shared/task-handler.js';

export const handler = taskHandler('StartDeployFlow', projectInput, ({ projectId }) =>
  startDeployFlow(projectId),
);
