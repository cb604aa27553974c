import { taskHandler } from '../../shared/platform/lambda/task-handler.js';
import { reserveServer } from '../../shared/provisioning/tasks/reserve-server.js';
import { projectInput } from '../../shared/provisioning/tasks/task-input.js';

export const handler = taskHandler('ReserveServer', projectInput, ({ projectId }) =>
  reserveServer(projectId),
);
