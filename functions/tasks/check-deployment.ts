import { taskHandler } from '../../shared/platform/lambda/task-handler.js';
import { checkDeployment } from '../../shared/provisioning/tasks/check-deployment.js';
import { pollInput } from '../../shared/provisioning/tasks/task-input.js';

export const handler = taskHandler('CheckDeployment', pollInput, checkDeployment);
