import { checkDeployment } from '../../shared/services/provisioning/check-deployment.js';
import { pollInput } from '../../shared/services/provisioning/task-input.js';
import { taskHandler } from '../../shared/task-handler.js';

export const handler = taskHandler('CheckDeployment', pollInput, checkDeployment);
