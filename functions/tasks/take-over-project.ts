import { lifecycleInput } from '../../shared/lifecycle/tasks/lifecycle-input.js';
import { taskHandler } from '../../shared/platform/lambda/task-handler.js';
import { takeOverProject } from '../../shared/takeover/tasks/take-over-project.js';

export const handler = taskHandler('TakeOverProject', lifecycleInput, (input) => takeOverProject(input));
