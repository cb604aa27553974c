import { isApplicationStopped, isCoolifyStatus } from '../../integrations/coolify/coolify-client.js';
import { coolify } from '../../integrations/coolify/from-secret.js';
import { TransientError } from '../../platform/errors.js';
import { appendLog } from '../../projects/projects-table.js';
import { pollWithin } from '../../provisioning/poll-schedule.js';
import { pollWindow } from '../../provisioning/tasks/polling-config.js';
import { type LifecycleInput, lifecycleRequestOf } from './lifecycle-input.js';

// Task StopApplication (suspend-project flow): the project's Coolify application is stopped, so its
// satellite no longer runs. Stopping is idempotent at Coolify; an application Coolify shows stopped
// already is left alone (a rerun calls nothing), and one Coolify no longer has is nothing to stop.

export async function stopApplication(input: LifecycleInput) {
  const found = await lifecycleRequestOf(input);
  const { projectId } = input;
  if (found.state === 'finished') return { projectId };
  const uuid = found.project.coolifyAppUuid;
  const log = (message: string) =>
    appendLog({
      projectId,
      action: 'application_stopped',
      message,
      externalService: 'coolify',
      ...(uuid ? { externalId: uuid } : {}),
      triggeredBy: found.request.requestedBy,
    });
  if (!uuid) {
    await log('No Coolify application to stop');
    return { projectId };
  }
  const client = await coolify();
  try {
    if (isApplicationStopped(await client.getApplication(uuid))) return { projectId };
    await client.stopApplication(uuid);
  } catch (err) {
    if (!isCoolifyStatus(err, 404)) throw err;
    await log(`Coolify no longer has application ${uuid}: nothing to stop`);
    return { projectId };
  }
  // Coolify stops the containers asynchronously; the suspension goes on once it shows them down.
  const app = await pollWithin(() => client.getApplication(uuid), isApplicationStopped, pollWindow());
  if (!isApplicationStopped(app)) {
    throw new TransientError(
      'ApplicationStopping',
      `Coolify still shows application ${uuid} as ${app.status}`,
    );
  }
  await log('Coolify application stopped');
  return { projectId };
}
