import {
  type CoolifyDeployment,
  TERMINAL_DEPLOYMENT_STATUSES,
} from '../../integrations/coolify/coolify-client.js';
import { coolify } from '../../integrations/coolify/from-secret.js';
import { ExternalServiceError, NotFoundError } from '../../platform/errors.js';
import { appendLog, getProject, transitionProject, updateProject } from '../../projects/projects-table.js';
import { DEPLOYMENT_POLL, isExhausted, nextWaitSeconds, pollWithin } from '../poll-schedule.js';
import { requireInProgress } from './guards.js';
import { pollWindow } from './polling-config.js';
import { currentAttempt, type PollInput, type PollOutput } from './task-input.js';

// Task StartOrCheckDeployment: starts a deployment when the project has none (or its last one
// failed), then watches it for a while within this invocation. `finished` moves the project to
// bootstrapping. A failed deployment fails the task with the deployment forgotten, so a redrive
// of this state deploys again.

export async function startOrCheckDeployment(input: PollInput): Promise<PollOutput> {
  const { projectId } = input;
  const project = requireInProgress(await getProject(projectId), projectId);
  if (project.status === 'bootstrapping' || project.status === 'active') return done(input);
  if (!project.coolifyAppUuid)
    throw new NotFoundError(`Project ${projectId} has no Coolify application yet.`);
  const client = await coolify();
  const attempt = currentAttempt(input, 'deployment');

  let uuid = project.coolifyDeploymentUuid;
  let deployment: CoolifyDeployment | null = uuid ? await client.getDeployment(uuid) : null;
  if (!deployment) {
    // A stored deployment Coolify no longer knows (404) is queued again, but only once per
    // execution attempt: a Coolify that keeps losing them needs staff, not endless deploys.
    const round = `${project.executionArn ?? projectId}#${input.redriveCount ?? 0}`;
    const requeue = uuid !== undefined;
    if (requeue && project.deploymentRequeuedFor === round) {
      throw new ExternalServiceError(
        'coolify',
        `deployment ${uuid} vanished at Coolify twice; check Coolify, then redrive`,
        false,
      );
    }
    // Force: without it Coolify may skip the deployment and hand back a uuid that never exists.
    const started = await client.deploy(project.coolifyAppUuid, { force: true });
    if (!started.deploymentUuid) {
      throw new ExternalServiceError(
        'coolify',
        `deployment was not queued: ${started.message ?? 'no reason given'}`,
        true,
      );
    }
    await updateProject(projectId, {
      coolifyDeploymentUuid: started.deploymentUuid,
      ...(requeue && { deploymentRequeuedFor: round }),
    });
    await appendLog({
      projectId,
      action: 'deployment_started',
      message: requeue ? `Deployment ${uuid} vanished at Coolify; queued again` : 'Deployment queued',
      externalService: 'coolify',
      externalId: started.deploymentUuid,
    });
    uuid = started.deploymentUuid;
  }
  const current = uuid!;
  deployment = await pollWithin(
    () => client.getDeployment(current),
    (d) => !d || TERMINAL_DEPLOYMENT_STATUSES.includes(d.status),
    pollWindow(),
  );
  if (!deployment) {
    // Not visible yet; the next check looks again (and queues it once more if it stays gone).
    if (isExhausted(DEPLOYMENT_POLL, attempt)) {
      throw new ExternalServiceError(
        'coolify',
        `deployment ${current} not visible at Coolify after ${attempt} checks; check Coolify, then redrive`,
        false,
      );
    }
    return waiting(input, attempt);
  }

  switch (deployment.status) {
    case 'finished':
      await transitionProject(projectId, 'bootstrapping', {
        log: {
          action: 'deployment_completed',
          message: 'Deployment finished; the satellite is bootstrapping',
          oldStatus: 'provisioning',
          externalService: 'coolify',
          externalId: deployment.deploymentUuid,
        },
      });
      return done(input);
    case 'failed':
    case 'cancelled-by-user':
      await updateProject(projectId, { coolifyDeploymentUuid: undefined });
      throw new ExternalServiceError(
        'coolify',
        `deployment ${deployment.deploymentUuid} ${deployment.status}; see its logs in Coolify, fix, then redrive`,
        false,
      );
    default:
      if (isExhausted(DEPLOYMENT_POLL, attempt)) {
        throw new ExternalServiceError(
          'coolify',
          `deployment ${deployment.deploymentUuid} still ${deployment.status} after ${attempt} checks`,
          false,
        );
      }
      return waiting(input, attempt);
  }
}

function waiting(input: PollInput, attempt: number): PollOutput {
  return {
    projectId: input.projectId,
    poll: {
      phase: 'deployment',
      attempt,
      redriveCount: input.redriveCount ?? 0,
      done: false,
      waitSeconds: nextWaitSeconds(DEPLOYMENT_POLL, attempt),
    },
  };
}

function done(input: PollInput): PollOutput {
  return {
    projectId: input.projectId,
    poll: {
      phase: 'deployment',
      attempt: 0,
      redriveCount: input.redriveCount ?? 0,
      done: true,
      waitSeconds: 0,
    },
  };
}
