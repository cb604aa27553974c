import { taskHandler } from '../../shared/platform/lambda/task-handler.js';
import { recordProvisioningDuration } from '../../shared/platform/metrics.js';
import { activateProject } from '../../shared/provisioning/tasks/activate-project.js';
import { projectInput } from '../../shared/provisioning/tasks/task-input.js';

export const handler = taskHandler('ActivateProject', projectInput, async ({ projectId }) => {
  const result = await activateProject(projectId);
  // Counted once: only the run that made the project active knows how long it took.
  if (result.provisioningSeconds !== undefined) recordProvisioningDuration(result.provisioningSeconds);
  return { projectId, status: result.status };
});
