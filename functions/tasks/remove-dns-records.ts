import { lifecycleInput } from '../../shared/lifecycle/tasks/lifecycle-input.js';
import { removeDnsRecords } from '../../shared/lifecycle/tasks/remove-dns-records.js';
import { taskHandler } from '../../shared/platform/lambda/task-handler.js';

export const handler = taskHandler('RemoveDnsRecords', lifecycleInput, (input) => removeDnsRecords(input));
