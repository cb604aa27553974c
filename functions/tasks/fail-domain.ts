import { failDomain, failInput } from '../../shared/domains/attach/fail-domain.js';
import { taskHandler } from '../../shared/platform/lambda/task-handler.js';

export const handler = taskHandler('FailDomain', failInput, (input) => failDomain(input));
