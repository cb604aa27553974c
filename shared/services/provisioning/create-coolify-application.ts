import { randomBytes } from 'node:crypto';
import type { CoolifyAppSource } from '../../clients/coolify-client.js';
import { coolify } from '../../clients/coolify-from-secret.js';
import { NotFoundError } from '../../errors.js';
import { generateApiKey, hashApiKey } from '../../model/api-key.js';
import { replaceProjectApiKey } from '../../repositories/api-keys.js';
import { type AppSource, getProjectType } from '../../repositories/catalog.js';
import {
  appendLog,
  getPrimaryDomain,
  getProject,
  type Project,
  transitionProject,
  updateProject,
} from '../../repositories/projects.js';
import { getServer } from '../../repositories/servers.js';
import { requireInProgress } from './guards.js';
import { provisioningConfig } from './provisioning-config.js';
import type { PollOutput } from './task-input.js';

// Task CreateCoolifyApplication (seeds/004): one Coolify project per customer project (its
// `production` environment comes with it), one application whose source the project type sets,
// served at https://<domain> with HTTPS forced, and the satellite's env vars. Every step first
// looks for what an earlier run created (stored uuid, or the deterministic name at Coolify).

const ENV_KEY = 'VRS_MARKETPLACE_KEY';
const ENV_PASSWORD = 'VRS_ADMIN_INITIAL_PASSWORD';

export const coolifyName = (projectId: string) => `vrs-${projectId}`;

export async function createCoolifyApplication(projectId: string): Promise<PollOutput> {
  let project = requireInProgress(await getProject(projectId), projectId);
  if (project.status === 'pending_domain') {
    await transitionProject(projectId, 'provisioning');
    await appendLog({
      projectId,
      action: 'status_changed',
      oldStatus: 'pending_domain',
      newStatus: 'provisioning',
      message: 'Deployment on Coolify begins',
    });
  }
  const [domain, server, projectType] = await Promise.all([
    getPrimaryDomain(projectId),
    project.serverId ? getServer(project.serverId) : undefined,
    getProjectType(project.projectType),
  ]);
  if (!domain || !server || !projectType)
    throw new NotFoundError(`Project ${projectId} lacks its domain, server or project type.`);
  const client = await coolify();
  const name = coolifyName(projectId);

  if (!project.coolifyProjectUuid) {
    const existing = (await client.listProjects()).find((p) => p.name === name);
    const uuid =
      existing?.uuid ??
      (await client.createProject({ name, description: `${project.name} (${domain.domain})` })).uuid;
    await updateProject(projectId, { coolifyProjectUuid: uuid });
    await appendLog({
      projectId,
      action: 'coolify_project_created',
      message: `Coolify project ${name}`,
      externalService: 'coolify',
      externalId: uuid,
    });
    project = { ...project, coolifyProjectUuid: uuid };
  }
  if (!project.coolifyEnvironmentUuid) {
    const env = await client.getEnvironment(project.coolifyProjectUuid!, 'production');
    await updateProject(projectId, { coolifyEnvironmentUuid: env.uuid });
    project = { ...project, coolifyEnvironmentUuid: env.uuid };
  }
  if (!project.coolifyAppUuid) {
    const existing = (await client.listApplications()).find((a) => a.name === name);
    const uuid =
      existing?.uuid ??
      (
        await client.createApplication(toCoolifySource(projectType.appSource), {
          projectUuid: project.coolifyProjectUuid!,
          environmentUuid: project.coolifyEnvironmentUuid!,
          serverUuid: server.coolifyUuid,
          name,
          domains: `https://${domain.domain}`,
          portsExposes: String(projectType.appSource.port),
        })
      ).uuid;
    await updateProject(projectId, { coolifyAppUuid: uuid });
    await appendLog({
      projectId,
      action: 'coolify_app_created',
      message: `Application for https://${domain.domain} on ${server.name}`,
      externalService: 'coolify',
      externalId: uuid,
    });
    project = { ...project, coolifyAppUuid: uuid };
  }
  await configureEnvironment(project, client);
  return {
    projectId,
    poll: { phase: 'deployment', attempt: 0, redriveCount: 0, done: false, waitSeconds: 0 },
  };
}

/** Sets the satellite's env vars; issues a new API key only when the app does not hold the current one. */
async function configureEnvironment(
  project: Project,
  client: Awaited<ReturnType<typeof coolify>>,
): Promise<void> {
  const appUuid = project.coolifyAppUuid!;
  const envs = await client.listEnvs(appUuid);
  const current = envs.find((e) => e.key === ENV_KEY);
  // Coolify hides values from tokens without read:sensitive; then a stored hash is trusted.
  const keyIsCurrent =
    project.apiKeyHash !== undefined &&
    current !== undefined &&
    (current.value === null || hashApiKey(current.value) === project.apiKeyHash);
  if (keyIsCurrent) return;

  const apiKey = generateApiKey();
  const password = envs.find((e) => e.key === ENV_PASSWORD)?.value ?? randomBytes(12).toString('base64url');
  await client.upsertEnvs(appUuid, [
    { key: 'VRS_PROJECT_ID', value: project.id },
    { key: 'VRS_MARKETPLACE_URL', value: provisioningConfig().MARKETPLACE_URL },
    { key: ENV_KEY, value: apiKey, isBuildtime: false },
    { key: 'VRS_ADMIN_EMAIL', value: project.ownerEmail },
    { key: ENV_PASSWORD, value: password, isBuildtime: false },
  ]);
  await replaceProjectApiKey(project.id, hashApiKey(apiKey), project.apiKeyHash);
  await appendLog({
    projectId: project.id,
    action: 'environment_configured',
    message: project.apiKeyHash
      ? 'Satellite environment set; API key replaced'
      : 'Satellite environment set with a new API key',
    externalService: 'coolify',
    externalId: appUuid,
  });
}

function toCoolifySource(source: AppSource): CoolifyAppSource {
  switch (source.kind) {
    case 'docker-image':
      return { kind: 'docker-image', image: source.image, tag: source.tag };
    case 'git-deploy-key':
      return {
        kind: 'git-deploy-key',
        gitRepository: source.repository,
        gitBranch: source.branch,
        buildPack: source.buildPack,
        privateKeyUuid: source.privateKeyUuid,
      };
    case 'git-public':
      return {
        kind: 'git-public',
        gitRepository: source.repository,
        gitBranch: source.branch,
        buildPack: source.buildPack,
      };
  }
}
