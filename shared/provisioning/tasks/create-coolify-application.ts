import { type AppSource, getProjectType } from '../../catalog/catalog-table.js';
import { type CoolifyAppSource, isCoolifyStatus } from '../../integrations/coolify/coolify-client.js';
import { coolify } from '../../integrations/coolify/from-secret.js';
import { NotFoundError } from '../../platform/errors.js';
import {
  appendLog,
  getPrimaryDomain,
  getProject,
  type Project,
  transitionProject,
  updateProject,
} from '../../projects/projects-table.js';
import { ensureSatelliteEnvironment } from '../../satellites/satellite-environment.js';
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
  await ensureSatelliteEnvironment(projectId, project.coolifyAppUuid!, client, {
    marketplaceUrl: provisioningConfig().MARKETPLACE_URL,
    ownerLogin: true,
  });
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
