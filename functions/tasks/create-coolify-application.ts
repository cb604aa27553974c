import { createCoolifyApplication } from '../../shared/services/provisioning/create-coolify-application.js';
import { projectInput } from '../../shared/services/provisioning/task-input.js';
import { taskHandler } from '../../shared/task-handler.js';

export const handler = taskHandler('CreateCoolifyApplication', projectInput, ({ projectId }) =>
  createCoolifyApplication(projectId),
);
