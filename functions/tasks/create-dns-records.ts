import { createDnsRecords } from '../../shared/services/provisioning/create-dns-records.js';
import { projectInput } from '../../shared/services/provisioning/task-input.js';
import { taskHandler } from '../../shared/task-handler.js';

export const handler = taskHandler('CreateDnsRecords', projectInput, ({ projectId }) =>
  createDnsRecords(projectId),
);
