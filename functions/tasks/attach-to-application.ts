import { attachPollInput, attachToApplication } from '../../shared/domains/attach/attach-to-application.js';
import { taskHandler } from '../../shared/platform/lambda/task-handler.js';

export const handler = taskHandler('AttachToApplication', attachPollInput, (input) =>
  attachToApplication(input),
);
