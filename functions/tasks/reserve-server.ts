import { reserveServer } from '../../shared/services/provisioning/reserve-server.js';
import { projectInput } from '../../shared/services/provisioning/task-input.js';
import { taskHandler } from '../../shared/task-handler.js';

export const handler = taskHandler('ReserveServer', projectInput, ({ projectId }) =>
  reserveServer(projectId),
);
