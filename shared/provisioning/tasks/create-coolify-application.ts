import { randomBytes } from 'node:crypto';
import { type AppSource, getProjectType } from '../../catalog/catalog-table.js';
import {
  type CoolifyAppSource,
  type CoolifyClient,
  isCoolifyStatus,
} from '../../integrations/coolify/coolify-client.js';
import { coolify } from '../../integrations/coolify/from-secret.js';
import { ConflictError, NotFoundError } from '../../platform/errors.js';
import {
  appendLog,
  getPrimaryDomain,
  getProject,
  type Project,
  transitionProject,
  updateProject,
} from '../../projects/projects-table.js';
import { generateApiKey, hashApiKey } from '../../satellites/api-key.js';
import { addPendingApiKey, promotePendingApiKey } from '../../satellites/api-keys-table.js';
import { getServer } from '../../servers/servers-table.js';
import { requireInProgress } from './guards.js';
import { provisioningConfig } from './provisioning-config.js';
import type { PollOutput } from './task-input.js';

// Task CreateCoolifyApplication (seeds/004): one Coolify project per customer project (its
// `production` environment comes with it), one application whose source the project type sets,
// served at https://<domain> with HTTPS forced, and the satellite's env vars. A rerun or a
// concurrent duplicate never leaves a second project or application, and the key Coolify holds is
// always the one whose hash we store. Coolify is asked by stored uuid; only a run after an
// interrupted create looks things up by name, so the cost of a run does not grow with the fleet.

const ENV_KEY = 'VRS_MARKETPLACE_KEY';
const ENV_PASSWORD = 'VRS_ADMIN_INITIAL_PASSWORD';
const KEY_ROUNDS = 3;

export const coolifyName = (projectId: string) => `vrs-${projectId}`;

export async function createCoolifyApplication(projectId: string): Promise<PollOutput> {
  let project = requireInProgress(await getProject(projectId), projectId);
  if (project.status === 'pending_domain') {
    // A concurrent run may have moved it first; then only that one logs it.
    await transitionProject(projectId, 'provisioning', {
      log: { action: 'status_changed', oldStatus: 'pending_domain', message: 'Deployment on Coolify begins' },
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
    const uuid = await claimCoolifyResource(project, {
      field: 'coolifyProjectUuid',
      startedField: 'coolifyProjectCreateStartedAt',
      kind: 'project',
      // Coolify cannot filter projects by name: listing them all is kept to this rare path.
      find: async () => (await client.listProjects()).find((p) => p.name === name)?.uuid,
      create: async () => ({
        uuid: (await client.createProject({ name, description: `${project.name} (${domain.domain})` })).uuid,
        created: true,
      }),
      remove: (uuid) => client.deleteProject(uuid),
      log: { action: 'coolify_project_created', message: `Coolify project ${name}` },
    });
    project = { ...project, coolifyProjectUuid: uuid };
  }
  if (!project.coolifyEnvironmentUuid) {
    const env = await client.getEnvironment(project.coolifyProjectUuid!, 'production');
    await updateProject(projectId, { coolifyEnvironmentUuid: env.uuid });
    project = { ...project, coolifyEnvironmentUuid: env.uuid };
  }
  if (!project.coolifyAppUuid) {
    const common = {
      projectUuid: project.coolifyProjectUuid!,
      environmentUuid: project.coolifyEnvironmentUuid!,
      serverUuid: server.coolifyUuid,
      name,
      domains: `https://${domain.domain}`,
      portsExposes: String(projectType.appSource.port),
      tags: [name],
    };
    const uuid = await claimCoolifyResource(project, {
      field: 'coolifyAppUuid',
      startedField: 'coolifyAppCreateStartedAt',
      kind: 'application',
      find: async () => (await client.listApplications({ tag: name })).find((a) => a.name === name)?.uuid,
      create: async () => {
        try {
          return {
            uuid: (await client.createApplication(toCoolifySource(projectType.appSource), common)).uuid,
            created: true,
          };
        } catch (err) {
          // Our own application already serves the domain (an earlier or concurrent run made it).
          const ours = isCoolifyStatus(err, 409)
            ? err.conflicts?.find((c) => c.resourceName === name)
            : undefined;
          if (ours?.resourceUuid) return { uuid: ours.resourceUuid, created: false };
          throw err;
        }
      },
      remove: (uuid) => client.deleteApplication(uuid),
      log: {
        action: 'coolify_app_created',
        message: `Application for https://${domain.domain} on ${server.name}`,
      },
    });
    project = { ...project, coolifyAppUuid: uuid };
  }
  await configureEnvironment(project, client);
  return {
    projectId,
    poll: { phase: 'deployment', attempt: 0, redriveCount: 0, done: false, waitSeconds: 0 },
  };
}

interface ResourceSpec {
  field: 'coolifyProjectUuid' | 'coolifyAppUuid';
  startedField: 'coolifyProjectCreateStartedAt' | 'coolifyAppCreateStartedAt';
  kind: 'project' | 'application';
  find: () => Promise<string | undefined>;
  create: () => Promise<{ uuid: string; created: boolean }>;
  remove: (uuid: string) => Promise<void>;
  log: { action: string; message: string };
}

/**
 * The uuid of the Coolify resource `spec.field` names, created at most once for the project: the
 * first run to store its uuid wins; a run that lost deletes what it created and takes the winner's.
 */
async function claimCoolifyResource(project: Project, spec: ResourceSpec): Promise<string> {
  // Only when an earlier run may have created it without storing its uuid is it looked up.
  const found = project[spec.startedField] ? await spec.find() : undefined;
  let claim = found ? { uuid: found, created: false } : undefined;
  if (!claim) {
    await updateProject(project.id, { [spec.startedField]: new Date().toISOString() });
    claim = await spec.create();
  }
  if (await updateProject(project.id, { [spec.field]: claim.uuid }, { onlyIfUnset: spec.field })) {
    await appendLog({
      projectId: project.id,
      ...spec.log,
      externalService: 'coolify',
      externalId: claim.uuid,
    });
    return claim.uuid;
  }
  const winner = (await getProject(project.id))?.[spec.field];
  if (!winner)
    throw new NotFoundError(`Project ${project.id} vanished while its Coolify ${spec.kind} was created.`);
  if (claim.created && winner !== claim.uuid) {
    await spec.remove(claim.uuid).catch((err: unknown) =>
      // A leftover must not stop provisioning; staff find it in the log.
      appendLog({
        projectId: project.id,
        action: 'coolify_duplicate_left',
        message: `Duplicate Coolify ${spec.kind} ${claim.uuid} could not be deleted (${(err as Error).message}); delete it in Coolify`,
        externalService: 'coolify',
        externalId: claim.uuid,
      }),
    );
  }
  return winner;
}

/**
 * Makes Coolify hold a key whose hash we store. A key is issued in two steps — accepted (pending)
 * before Coolify gets it, the project's only key once Coolify holds it — so a key Coolify holds is
 * always one we accept, and a rerun after a crash between the steps converges. Runs that race
 * each other see their pending key replaced and look again.
 */
async function configureEnvironment(project: Project, client: CoolifyClient): Promise<void> {
  const appUuid = project.coolifyAppUuid!;
  for (let round = 0; round < KEY_ROUNDS; round++) {
    const [current, envs] = await Promise.all([getProject(project.id), client.listEnvs(appUuid)]);
    if (!current) throw new NotFoundError(`Project ${project.id} not found.`);
    // A value Coolify hides (token without read:sensitive) cannot be compared: it is replaced.
    const held = envs.find((e) => e.key === ENV_KEY)?.value;
    const heldHash = held ? hashApiKey(held) : undefined;
    if (heldHash && heldHash === current.apiKeyHash && !current.pendingApiKeyHash) return;
    if (heldHash && heldHash === current.pendingApiKeyHash) {
      // An earlier run wrote this key to Coolify and stopped before making it the project's key.
      if (await promotePendingApiKey(project.id, heldHash, current.apiKeyHash)) return;
      continue;
    }

    const apiKey = generateApiKey();
    const hash = hashApiKey(apiKey);
    if (!(await addPendingApiKey(project.id, hash, current.pendingApiKeyHash))) continue;
    const hasPassword = envs.some((e) => e.key === ENV_PASSWORD);
    await client.upsertEnvs(appUuid, [
      { key: 'VRS_PROJECT_ID', value: project.id },
      { key: 'VRS_MARKETPLACE_URL', value: provisioningConfig().MARKETPLACE_URL },
      { key: ENV_KEY, value: apiKey, isBuildtime: false },
      { key: 'VRS_ADMIN_EMAIL', value: project.ownerEmail },
      // Set once: the owner's initial password must not change under them on a rerun.
      ...(hasPassword
        ? []
        : [{ key: ENV_PASSWORD, value: randomBytes(12).toString('base64url'), isBuildtime: false }]),
    ]);
    if (!(await promotePendingApiKey(project.id, hash, current.apiKeyHash))) continue;
    // The satellite reads its env when deployed: a stored deployment predates the new key.
    if (current.coolifyDeploymentUuid) await updateProject(project.id, { coolifyDeploymentUuid: undefined });
    await appendLog({
      projectId: project.id,
      action: 'environment_configured',
      message: current.apiKeyHash
        ? 'Satellite environment set; API key replaced'
        : 'Satellite environment set with a new API key',
      externalService: 'coolify',
      externalId: appUuid,
    });
    return;
  }
  throw new ConflictError(
    `Concurrent runs kept replacing each other's API key for project ${project.id}; redrive.`,
  );
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
