import * as z from 'zod';
import {
  type CoolifyClient,
  isApplicationRunning,
  isCoolifyStatus,
  TERMINAL_DEPLOYMENT_STATUSES,
} from '../../integrations/coolify/coolify-client.js';
import { coolify } from '../../integrations/coolify/from-secret.js';
import { ExternalServiceError, NotFoundError, TransientError } from '../../platform/errors.js';
import { appendLog } from '../../projects/projects-table.js';
import {
  DEPLOYMENT_POLL,
  isExhausted,
  nextWaitSeconds,
  pollWithin,
} from '../../provisioning/poll-schedule.js';
import { pollWindow } from '../../provisioning/tasks/polling-config.js';
import { pollState } from '../../provisioning/tasks/task-input.js';
import { updateLifecycleRequest } from '../lifecycle-table.js';
import { lifecycleInput, lifecycleRequestOf } from './lifecycle-input.js';

// Task StartApplication (resume-project flow): the project's Coolify application starts again
// (Coolify queues a deployment), watched within this invocation and on by the flow's Wait loop, so
// the project is active only once its application runs. The start is queued once per request (its
// deployment is kept on the request); a failed one is forgotten, so a redrive starts it again. An
// application already running is left as it is.

export const startApplicationInput = lifecycleInput.extend({
  poll: pollState.default({ attempt: 0, redriveCount: 0, done: false, waitSeconds: 0 }),
  redriveCount: z.number().int().min(0).nullish(),
});
type StartApplicationInput = z.infer<typeof startApplicationInput>;

export async function startApplication(input: StartApplicationInput) {
  const { projectId, executionArn } = input;
  const found = await lifecycleRequestOf(input);
  if (found.state === 'finished') return result(input, 0, true);
  const redrive = input.redriveCount ?? 0;
  const attempt = input.poll.redriveCount === redrive ? input.poll.attempt + 1 : 1;
  const appUuid = found.project.coolifyAppUuid;
  if (!appUuid) throw new NotFoundError(`Project ${projectId} has no Coolify application to start.`);
  const client = await coolify();

  let uuid = found.request.startDeploymentUuid;
  if (!uuid) {
    const app = await client.getApplication(appUuid).catch((err: unknown) => {
      if (!isCoolifyStatus(err, 404)) throw err;
      throw new ExternalServiceError(
        'coolify',
        `application ${appUuid} no longer exists at Coolify: the project needs a new provisioning (talk to a developer)`,
        false,
        404,
      );
    });
    if (isApplicationRunning(app)) return result(input, attempt, true);
    uuid = await queueStart(client, appUuid);
    await updateLifecycleRequest(projectId, executionArn, { startDeploymentUuid: uuid });
    await appendLog({
      projectId,
      action: 'application_start_queued',
      message: 'Coolify application starts again (deployment queued)',
      externalService: 'coolify',
      externalId: uuid,
      triggeredBy: found.request.requestedBy,
    });
  }
  const current = uuid;
  const deployment = await pollWithin(
    () => client.getDeployment(current),
    (d) => !!d && TERMINAL_DEPLOYMENT_STATUSES.includes(d.status),
    pollWindow(),
  );
  if (deployment?.status === 'finished') return result(input, attempt, true);
  const failed = deployment && TERMINAL_DEPLOYMENT_STATUSES.includes(deployment.status);
  if (failed || isExhausted(DEPLOYMENT_POLL, attempt)) {
    // Forget it, so a redrive of this state starts the application again.
    await updateLifecycleRequest(projectId, executionArn, { startDeploymentUuid: undefined });
    throw new ExternalServiceError(
      'coolify',
      failed
        ? `start deployment ${current} ${deployment.status}; see its logs in Coolify, fix, then redrive`
        : `start deployment ${current} not finished after ${attempt} checks; check Coolify, then redrive`,
      false,
    );
  }
  return result(input, attempt, false);
}

/** Queues the start; when Coolify skips it (a deployment is queued already), follows that one. */
async function queueStart(client: CoolifyClient, appUuid: string): Promise<string> {
  const started = await client.startApplication(appUuid);
  if (started.deploymentUuid) return started.deploymentUuid;
  const [latest] = (await client.listApplicationDeployments(appUuid, { take: 1 })).deployments;
  if (latest && !TERMINAL_DEPLOYMENT_STATUSES.includes(latest.status)) return latest.deploymentUuid;
  throw new TransientError(
    'StartNotQueued',
    `coolify did not queue the start: ${started.message ?? 'no reason'}`,
  );
}

function result(input: StartApplicationInput, attempt: number, done: boolean) {
  return {
    projectId: input.projectId,
    poll: {
      phase: 'deployment' as const,
      attempt: done ? 0 : attempt,
      redriveCount: input.redriveCount ?? 0,
      done,
      waitSeconds: done ? 0 : nextWaitSeconds(DEPLOYMENT_POLL, attempt),
    },
  };
}
