import { taskHandler } from '../../shared/platform/lambda/task-handler.js';
import { createCoolifyApplication } from '../../shared/provisioning/tasks/create-coolify-application.js';
import { projectInput } from '../../shared/provisioning/tasks/task-input.js';

export const handler = taskHandler('CreateCoolifyApplication', projectInput, ({ projectId }) =>
  createCoolifyApplication(projectId),
);
