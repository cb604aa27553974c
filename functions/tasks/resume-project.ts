import { lifecycleInput } from '../../shared/lifecycle/tasks/lifecycle-input.js';
import { resumeProject } from '../../shared/lifecycle/tasks/resume-project.js';
import { taskHandler } from '../../shared/platform/lambda/task-handler.js';

export const handler = taskHandler('ResumeProject', lifecycleInput, (input) => resumeProject(input));
