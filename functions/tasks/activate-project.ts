import { activateProject } from '../../shared/services/provisioning/activate-project.js';
import { projectInput } from '../../shared/services/provisioning/task-input.js';
import { taskHandler } from '../../shared/task-handler.js';

export const handler = taskHandler('ActivateProject', projectInput, ({ projectId }) =>
  activateProject(projectId),
);
