import { lifecycleInput } from '../../shared/lifecycle/tasks/lifecycle-input.js';
import { notifyOwner } from '../../shared/lifecycle/tasks/notify-owner.js';
import { taskHandler } from '../../shared/platform/lambda/task-handler.js';

export const handler = taskHandler('NotifyOwner', lifecycleInput, (input) => notifyOwner(input));
