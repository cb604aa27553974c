import { activateDomain } from '../../shared/domains/attach/activate-domain.js';
import { attachInput } from '../../shared/domains/attach/attach-input.js';
import { taskHandler } from '../../shared/platform/lambda/task-handler.js';

export const handler = taskHandler('ActivateDomain', attachInput, (input) => activateDomain(input));
