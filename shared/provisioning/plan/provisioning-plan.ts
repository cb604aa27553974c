import type { AppSource, ProjectType } from '../../catalog/catalog-table.js';
import type { Project, ProjectDomain } from '../../projects/projects-table.js';
import {
  choiceReason,
  isAvailable,
  type SelectionStrategy,
  type ServerLoad,
  serverCandidates,
} from '../../servers/server-selection.js';

// The provisioning plan (GET /v1/admin/projects/{id}/plan): what the provision-subdomain and
// deploy-project flows would do for a project, without doing it — the server they would choose
// and why, the INWX records, the Coolify project and application, the env var names (never their
// values), the deploy, the health check, and the attach of custom domains. Pure: the route reads
// the inputs, this decides. Steps done already (stored ids) say so, as the idempotent tasks would
// find them.

export interface PlanStep {
  service: 'marketplace' | 'inwx' | 'coolify' | 'satellite';
  action: string;
  detail: string;
  /** A stored id shows the step was done before; the flow would reuse it. */
  alreadyDone: boolean;
}

export interface PlanServer extends ServerLoad {
  ipAddress: string;
  coolifyUuid: string;
}

export interface PlanInput {
  project: Pick<
    Project,
    'id' | 'name' | 'status' | 'serverId' | 'requestedServerId' | 'coolifyProjectUuid' | 'coolifyAppUuid'
  >;
  domains: readonly ProjectDomain[];
  projectType: Pick<ProjectType, 'code' | 'appSource'>;
  servers: readonly PlanServer[];
  selection: { strategy: SelectionStrategy; nextTicket: number };
  marketplaceUrl: string;
  healthCheckUrlTemplate: string;
}

/** The env vars a satellite gets (shared/satellites/satellite-environment.ts): names only. */
export const SATELLITE_ENV_NAMES = [
  'VRS_PROJECT_ID',
  'VRS_MARKETPLACE_URL',
  'VRS_MARKETPLACE_KEY',
  'VRS_ADMIN_EMAIL',
  'VRS_ADMIN_INITIAL_PASSWORD',
] as const;

export function provisioningPlan(input: PlanInput): { steps: PlanStep[] } {
  const { project } = input;
  const steps: PlanStep[] = [];
  const server = planServer(input, steps);
  const ip = server?.ipAddress ?? '<server IP>';

  const live = input.domains.filter((d) => d.status !== 'removed');
  const technical = live.find((d) => d.type === 'subdomain');
  if (technical) {
    const ids = technical.inwxRecordIds ?? {};
    steps.push({
      service: 'inwx',
      action: 'create-record',
      detail: `A ${technical.domain} → ${ip} (TTL 300) in zone ${technical.baseDomain ?? '?'}${ids.a !== undefined ? ` (record ${ids.a})` : ''}`,
      alreadyDone: ids.a !== undefined,
    });
    steps.push({
      service: 'inwx',
      action: 'create-record',
      detail: `CNAME www.${technical.domain} → ${technical.domain} (TTL 300) in zone ${technical.baseDomain ?? '?'}${ids.www !== undefined ? ` (record ${ids.www})` : ''}`,
      alreadyDone: ids.www !== undefined,
    });
  }
  const appDomain = technical ?? live.find((d) => d.isPrimary) ?? live[0];
  const name = `vrs-${project.id}`;
  steps.push({
    service: 'coolify',
    action: 'create-project',
    detail: `Coolify project ${name} ("${project.name}"), environment production${project.coolifyProjectUuid ? ` (exists: ${project.coolifyProjectUuid})` : ''}`,
    alreadyDone: Boolean(project.coolifyProjectUuid),
  });
  steps.push({
    service: 'coolify',
    action: 'create-application',
    detail: `Application ${name} from ${describeSource(input.projectType.appSource)} on server ${server ? `${server.name} (${server.coolifyUuid})` : '<none>'}, domains https://${appDomain?.domain ?? '?'}, port ${input.projectType.appSource.port}, HTTPS forced${project.coolifyAppUuid ? ` (exists: ${project.coolifyAppUuid})` : ''}`,
    alreadyDone: Boolean(project.coolifyAppUuid),
  });
  steps.push({
    service: 'coolify',
    action: 'set-env',
    detail: `Environment variables ${SATELLITE_ENV_NAMES.join(', ')} (VRS_MARKETPLACE_URL = ${input.marketplaceUrl}; the key and password are generated, stored only as a hash or at Coolify)`,
    alreadyDone: false,
  });
  steps.push({
    service: 'coolify',
    action: 'deploy',
    detail: `Deploy ${name} and poll the deployment until it finished`,
    alreadyDone: project.status === 'active',
  });
  steps.push({
    service: 'satellite',
    action: 'health-check',
    detail: `Poll ${input.healthCheckUrlTemplate.replace('{domain}', appDomain?.domain ?? '?')} until the satellite answers healthy, then the project is active and the owner mailed`,
    alreadyDone: project.status === 'active',
  });
  for (const d of live.filter((x) => x.type !== 'subdomain')) {
    steps.push({
      service: 'inwx',
      action: 'attach-domain',
      detail: `${attachVerb(d)} ${d.unicode ?? d.domain} (${d.type}, ${d.status}), then A ${d.domain} and CNAME www.${d.domain} → ${ip}, add it to the application's domains, redeploy, make it primary (attach-domain flow)`,
      alreadyDone: d.status === 'active',
    });
  }
  return { steps };
}

function planServer(input: PlanInput, steps: PlanStep[]): PlanServer | undefined {
  const { project, servers, selection } = input;
  if (project.serverId) {
    const s = servers.find((x) => x.id === project.serverId);
    steps.push({
      service: 'marketplace',
      action: 'reserve-server',
      detail: `Slot held on ${s ? `${s.name} (${s.ipAddress})` : project.serverId} already`,
      alreadyDone: true,
    });
    return s;
  }
  const requested = project.requestedServerId
    ? servers.find((x) => x.id === project.requestedServerId)
    : undefined;
  const chosen = project.requestedServerId
    ? requested && isAvailable(requested)
      ? requested
      : undefined
    : serverCandidates(servers, selection.strategy, selection.nextTicket)[0];
  steps.push(
    chosen
      ? {
          service: 'marketplace',
          action: 'reserve-server',
          detail: `${chosen.name} (${chosen.ipAddress}): ${choiceReason(selection.strategy, chosen, Boolean(project.requestedServerId))}`,
          alreadyDone: false,
        }
      : {
          service: 'marketplace',
          action: 'reserve-server',
          detail: project.requestedServerId
            ? `none: server ${requested?.name ?? project.requestedServerId}, requested for this order, has no free slot or takes no new projects — provisioning would end in error ("no free server")`
            : 'none: no active server accepting new projects has a free slot — provisioning would end in error ("no free server")',
          alreadyDone: false,
        },
  );
  return chosen;
}

function describeSource(s: AppSource): string {
  if (s.kind === 'docker-image') return `Docker image ${s.image}:${s.tag}`;
  if (s.kind === 'git-deploy-key')
    return `git ${s.repository} (${s.branch}, ${s.buildPack}, deploy key ${s.privateKeyUuid})`;
  return `public git ${s.repository} (${s.branch}, ${s.buildPack})`;
}

function attachVerb(d: ProjectDomain): string {
  if (d.type === 'registered') return 'Register at INWX';
  if (d.type === 'transferred') return 'Transfer to INWX';
  return 'Use our INWX domain';
}
