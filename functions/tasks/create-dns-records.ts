import { taskHandler } from '../../shared/platform/lambda/task-handler.js';
import { createDnsRecords } from '../../shared/provisioning/tasks/create-dns-records.js';
import { projectInput } from '../../shared/provisioning/tasks/task-input.js';

export const handler = taskHandler('CreateDnsRecords', projectInput, ({ projectId }) =>
  createDnsRecords(projectId),
);
