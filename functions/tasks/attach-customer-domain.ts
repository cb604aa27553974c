import { lifecycleInput } from '../../shared/lifecycle/tasks/lifecycle-input.js';
import { taskHandler } from '../../shared/platform/lambda/task-handler.js';
import { attachCustomerDomain } from '../../shared/takeover/tasks/attach-customer-domain.js';

export const handler = taskHandler('AttachCustomerDomain', lifecycleInput, (input) =>
  attachCustomerDomain(input),
);
