import { archiveProject } from '../../shared/lifecycle/tasks/archive-project.js';
import { lifecycleInput } from '../../shared/lifecycle/tasks/lifecycle-input.js';
import { taskHandler } from '../../shared/platform/lambda/task-handler.js';

export const handler = taskHandler('ArchiveProject', lifecycleInput, (input) => archiveProject(input));
