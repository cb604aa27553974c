import { lifecycleInput } from '../../shared/lifecycle/tasks/lifecycle-input.js';
import { stopApplication } from '../../shared/lifecycle/tasks/stop-application.js';
import { taskHandler } from '../../shared/platform/lambda/task-handler.js';

export const handler = taskHandler('StopApplication', lifecycleInput, (input) => stopApplication(input));
