import { startApplication, startApplicationInput } from '../../shared/lifecycle/tasks/start-application.js';
import { taskHandler } from '../../shared/platform/lambda/task-handler.js';

export const handler = taskHandler('StartApplication', startApplicationInput, (input) =>
  startApplication(input),
);
