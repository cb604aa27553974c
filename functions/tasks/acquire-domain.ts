import { acquireDomain } from '../../shared/domains/attach/acquire-domain.js';
import { attachInput } from '../../shared/domains/attach/attach-input.js';
import { taskHandler } from '../../shared/platform/lambda/task-handler.js';

export const handler = taskHandler('AcquireDomain', attachInput, (input) => acquireDomain(input));
