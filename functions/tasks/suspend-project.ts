import { lifecycleInput } from '../../shared/lifecycle/tasks/lifecycle-input.js';
import { suspendProject } from '../../shared/lifecycle/tasks/suspend-project.js';
import { taskHandler } from '../../shared/platform/lambda/task-handler.js';

export const handler = taskHandler('SuspendProject', lifecycleInput, (input) => suspendProject(input));
