import { deleteApplication } from '../../shared/lifecycle/tasks/delete-application.js';
import { lifecycleInput } from '../../shared/lifecycle/tasks/lifecycle-input.js';
import { taskHandler } from '../../shared/platform/lambda/task-handler.js';

export const handler = taskHandler('DeleteApplication', lifecycleInput, (input) => deleteApplication(input));
