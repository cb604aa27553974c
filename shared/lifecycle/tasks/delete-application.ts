import { coolify } from '../../integrations/coolify/from-secret.js';
import { appendLog, updateProject } from '../../projects/projects-table.js';
import { type LifecycleInput, lifecycleRequestOf } from './lifecycle-input.js';

// Task DeleteApplication (archive-project flow): the project's Coolify application is deleted with
// its containers and volumes (the satellite stops). One Coolify no longer has counts as deleted
// (404); once done it is noted on the project, so a rerun calls Coolify no more. The uuid stays for
// the record; the project's data stays in our table.

export async function deleteApplication(input: LifecycleInput) {
  const { projectId } = input;
  const found = await lifecycleRequestOf(input);
  if (found.state === 'finished') return { projectId };
  const { project, request } = found;
  const uuid = project.coolifyAppUuid;
  if (!uuid || project.coolifyAppDeletedAt) return { projectId };
  await (await coolify()).deleteApplication(uuid);
  await updateProject(projectId, { coolifyAppDeletedAt: new Date().toISOString() });
  await appendLog({
    projectId,
    action: 'application_deleted',
    message: 'Coolify application deleted (the project and its data are kept)',
    externalService: 'coolify',
    externalId: uuid,
    triggeredBy: request.requestedBy,
  });
  return { projectId };
}
