import { expireRegisteredDomains } from '../../shared/lifecycle/tasks/expire-registered-domains.js';
import { lifecycleInput } from '../../shared/lifecycle/tasks/lifecycle-input.js';
import { taskHandler } from '../../shared/platform/lambda/task-handler.js';

export const handler = taskHandler('ExpireRegisteredDomains', lifecycleInput, (input) =>
  expireRegisteredDomains(input),
);
