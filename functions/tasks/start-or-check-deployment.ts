import { taskHandler } from '../../shared/platform/lambda/task-handler.js';
import { startOrCheckDeployment } from '../../shared/provisioning/tasks/start-or-check-deployment.js';
import { pollInput } from '../../shared/provisioning/tasks/task-input.js';

export const handler = taskHandler('StartOrCheckDeployment', pollInput, startOrCheckDeployment);
