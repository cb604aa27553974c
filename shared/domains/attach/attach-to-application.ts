import * as z from 'zod';
import { TERMINAL_DEPLOYMENT_STATUSES } from '../../integrations/coolify/coolify-client.js';
import { coolify } from '../../integrations/coolify/from-secret.js';
import { ExternalServiceError, NotFoundError } from '../../platform/errors.js';
import { updateDomain } from '../../projects/domains-table.js';
import { getProject, listDomains } from '../../projects/projects-table.js';
import {
  DEPLOYMENT_POLL,
  isExhausted,
  nextWaitSeconds,
  pollWithin,
} from '../../provisioning/poll-schedule.js';
import { pollWindow } from '../../provisioning/tasks/polling-config.js';
import { pollState } from '../../provisioning/tasks/task-input.js';
import { requireActiveProject, requireDomain, shown } from './attach-input.js';

// Task AttachToApplication (attach-domain flow): the project's Coolify application serves the
// domain, its www and every other live domain of the project (the technical subdomain stays as
// an alias); then a redeploy makes the proxy take them, watched within this invocation and on by
// the flow's Wait loop. Setting the same domains again changes nothing; a finished redeploy is
// not repeated.

export const attachPollInput = z.object({
  projectId: z.uuid(),
  domain: z.string().min(4).max(253),
  poll: pollState.default({ attempt: 0, redriveCount: 0, done: false, waitSeconds: 0 }),
  redriveCount: z.number().int().min(0).nullish(),
});
type AttachPollInput = z.infer<typeof attachPollInput>;

export async function attachToApplication(input: AttachPollInput) {
  const { projectId, domain } = input;
  const [d, found, domains] = await Promise.all([
    requireDomain(projectId, domain),
    getProject(projectId),
    listDomains(projectId),
  ]);
  const project = requireActiveProject(found, projectId);
  if (!project.coolifyAppUuid) throw new NotFoundError(`Project ${projectId} has no Coolify application.`);
  const client = await coolify();
  const redrive = input.redriveCount ?? 0;
  const attempt = input.poll.redriveCount === redrive ? input.poll.attempt + 1 : 1;

  const wanted = [
    ...new Set(
      domains
        .filter((x) => x.status === 'active' || x.domain === domain)
        .flatMap((x) => (x.type === 'subdomain' ? [x.domain] : [x.domain, `www.${x.domain}`]))
        .map((host) => `https://${host}`),
    ),
  ].sort();
  let uuid = d.coolifyDeploymentUuid;
  if (!uuid) {
    const app = await client.getApplication(project.coolifyAppUuid);
    if (JSON.stringify([...app.domains].sort()) !== JSON.stringify(wanted)) {
      await client.updateApplicationDomains(project.coolifyAppUuid, wanted);
    }
    const started = await client.deploy(project.coolifyAppUuid, { force: true });
    if (!started.deploymentUuid) {
      throw new ExternalServiceError(
        'coolify',
        `redeploy was not queued: ${started.message ?? 'no reason'}`,
        true,
      );
    }
    uuid = started.deploymentUuid;
    await updateDomain(projectId, domain, {
      fields: { coolifyDeploymentUuid: uuid },
      log: {
        action: 'deployment_started',
        message: `Application now serves ${shown(d)}; redeploy queued`,
        externalService: 'coolify',
        externalId: uuid,
      },
    });
  }
  const current = uuid;
  const deployment = await pollWithin(
    () => client.getDeployment(current),
    (x) => !!x && TERMINAL_DEPLOYMENT_STATUSES.includes(x.status),
    pollWindow(),
  );
  if (deployment?.status === 'finished') return result(input, attempt, true);
  if (deployment && TERMINAL_DEPLOYMENT_STATUSES.includes(deployment.status)) {
    // Forget it, so a redrive of this state deploys again.
    await updateDomain(projectId, domain, { fields: { coolifyDeploymentUuid: undefined } });
    throw new ExternalServiceError(
      'coolify',
      `redeploy ${current} for ${domain} ${deployment.status}; see its logs in Coolify, fix, then redrive`,
      false,
    );
  }
  if (isExhausted(DEPLOYMENT_POLL, attempt)) {
    await updateDomain(projectId, domain, { fields: { coolifyDeploymentUuid: undefined } });
    throw new ExternalServiceError(
      'coolify',
      `redeploy ${current} for ${domain} not finished after ${attempt} checks; check Coolify, then redrive`,
      false,
    );
  }
  return result(input, attempt, false);
}

function result(input: AttachPollInput, attempt: number, done: boolean) {
  return {
    projectId: input.projectId,
    domain: input.domain,
    poll: {
      phase: 'deployment' as const,
      attempt: done ? 0 : attempt,
      redriveCount: input.redriveCount ?? 0,
      done,
      waitSeconds: done ? 0 : nextWaitSeconds(DEPLOYMENT_POLL, attempt),
    },
  };
}
