import type { CoolifyClient } from '../../integrations/coolify/coolify-client.js';
import { isCoolifyStatus } from '../../integrations/coolify/coolify-client.js';
import { coolify } from '../../integrations/coolify/from-secret.js';
import { inwx } from '../../integrations/inwx/from-secret.js';
import type { InwxClient } from '../../integrations/inwx/inwx-client.js';
import { ConflictError, NotFoundError } from '../../platform/errors.js';
import {
  appendLog,
  getProject,
  listDomains,
  type Project,
  type ProjectDomain,
  setDomainRecordId,
} from '../../projects/projects-table.js';
import { hashApiKey } from '../../satellites/api-key.js';
import { ensureSatelliteEnvironment, SATELLITE_KEY_ENV } from '../../satellites/satellite-environment.js';
import { getServer } from '../../servers/servers-table.js';
import { DNS_TTL } from '../tasks/create-dns-records.js';
import { provisioningConfig } from '../tasks/provisioning-config.js';
import {
  appDomainsFinding,
  type Difference,
  envFinding,
  type Finding,
  liveDomains,
  recordFinding,
  wantedAppDomains,
  wantedRecords,
} from './drift-rules.js';

// Drift of a live project (contract: GET /v1/admin/projects/{id}/drift, POST …/drift/repair): what
// INWX and Coolify report, compared by drift-rules.ts with what we stored. Only reads, unless staff
// ask for the repair; a repair changes only what differs, so a second one finds nothing to do.

const CHECKED_STATUSES = ['active', 'suspended'];

export async function findDrift(projectId: string): Promise<{ differences: Difference[] }> {
  const findings = await inspect(await loadLiveProject(projectId));
  return { differences: findings.flatMap((f) => f.differences) };
}

export async function repairDrift(
  projectId: string,
  by: string,
): Promise<{ repaired: Difference[]; unrepaired: (Difference & { reason: string })[] }> {
  const live = await loadLiveProject(projectId);
  const findings = await inspect(live);
  const repaired: Difference[] = [];
  const unrepaired: (Difference & { reason: string })[] = [];
  let redeploy = false;
  for (const f of findings) {
    if (f.repair.kind === 'none') {
      const reason = f.repair.reason;
      unrepaired.push(...f.differences.map((d) => ({ ...d, reason })));
      continue;
    }
    redeploy = (await applyRepair(live, f)) || redeploy;
    repaired.push(...f.differences);
  }
  const appUuid = live.project.coolifyAppUuid!;
  // Coolify serves new domains and the satellite reads its env from the next deployment on.
  const deployment = redeploy ? await (await coolify()).deploy(appUuid, { force: true }) : undefined;
  if (repaired.length) {
    await appendLog({
      projectId,
      action: 'drift_repaired',
      message: `Drift repaired: ${repaired.map((d) => `${d.resource} ${d.field}`).join('; ')}${deployment ? '; redeploy queued' : ''}`,
      ...(deployment?.deploymentUuid
        ? { externalService: 'coolify', externalId: deployment.deploymentUuid }
        : {}),
      triggeredBy: by,
    });
  }
  return { repaired, unrepaired };
}

interface LiveProject {
  project: Project;
  domains: ProjectDomain[];
  serverIp: string;
}

async function loadLiveProject(projectId: string): Promise<LiveProject> {
  const [project, domains] = await Promise.all([getProject(projectId), listDomains(projectId)]);
  if (!project) throw new NotFoundError(`Project ${projectId} not found.`);
  if (!CHECKED_STATUSES.includes(project.status) || !project.coolifyAppUuid || !project.serverId) {
    throw new ConflictError(
      `Project ${projectId} is ${project.status}: drift is checked for live (active or suspended) projects only.`,
    );
  }
  const server = await getServer(project.serverId);
  if (!server) throw new NotFoundError(`Server ${project.serverId} of project ${projectId} not found.`);
  return { project, domains, serverIp: server.ipAddress };
}

async function inspect({ project, domains, serverIp }: LiveProject): Promise<Finding[]> {
  const [dns, app] = await Promise.all([
    inspectRecords(await inwx(), domains, serverIp),
    inspectApplication(await coolify(), project, domains),
  ]);
  return [...dns, ...app];
}

async function inspectRecords(client: InwxClient, domains: ProjectDomain[], serverIp: string) {
  const findings: Finding[] = [];
  for (const d of liveDomains(domains)) {
    const wanted = wantedRecords(d, serverIp);
    // One nameserver.info per name: a base domain's zone holds every project's records.
    for (const purpose of ['a', 'www'] as const) {
      const w = wanted[purpose];
      const byName = await client.findRecords(w.zone, { name: w.name, type: w.type });
      const storedId = d.inwxRecordIds[purpose];
      const stored =
        byName.find((r) => r.id === storedId) ??
        (storedId ? await findById(client, w.zone, storedId) : undefined);
      const finding = recordFinding(d, purpose, w, stored, byName);
      if (finding) findings.push(finding);
    }
  }
  return findings;
}

/** A stored record INWX has under another name or type (renamed by hand): still ours to correct. */
async function findById(client: InwxClient, zone: string, id: number) {
  return (await client.findRecords(zone)).find((r) => r.id === id);
}

async function inspectApplication(client: CoolifyClient, project: Project, domains: ProjectDomain[]) {
  const uuid = project.coolifyAppUuid!;
  const app = await client.getApplication(uuid).catch((err: unknown) => {
    if (isCoolifyStatus(err, 404)) return undefined;
    throw err;
  });
  if (!app) {
    return [
      {
        differences: [
          { resource: `coolify application ${uuid}`, field: 'present', expected: 'present', actual: null },
        ],
        repair: {
          kind: 'none',
          reason: 'the application is gone from Coolify; only a new provisioning can recreate it',
        },
      } satisfies Finding,
    ];
  }
  const envs = await client.listEnvs(uuid);
  const held = new Map(envs.map((e) => [e.key, e.value ?? null]));
  const key = held.get(SATELLITE_KEY_ENV);
  return [
    appDomainsFinding(uuid, wantedAppDomains(domains), app.domains),
    envFinding(
      uuid,
      {
        projectId: project.id,
        marketplaceUrl: provisioningConfig().MARKETPLACE_URL,
        apiKeyHash: project.apiKeyHash,
      },
      held,
      key ? hashApiKey(key) : undefined,
    ),
  ].filter((f): f is Finding => f !== undefined);
}

/** Applies one repair; true when the application needs a redeploy to take it. */
async function applyRepair({ project }: LiveProject, f: Finding): Promise<boolean> {
  const r = f.repair;
  switch (r.kind) {
    case 'update-record':
      await (await inwx()).updateRecord(r.id, { content: r.content, ttl: DNS_TTL });
      return false;
    case 'adopt-record':
      if (r.update) await (await inwx()).updateRecord(r.id, { content: r.content, ttl: DNS_TTL });
      await setDomainRecordId(project.id, r.domain, r.purpose, r.id);
      return false;
    case 'create-record': {
      const { zone, ...record } = r.record;
      const id = await (await inwx()).createRecord({ domain: zone, ...record, ttl: DNS_TTL });
      await setDomainRecordId(project.id, r.domain, r.purpose, id);
      return false;
    }
    case 'set-app-domains':
      await (await coolify()).updateApplicationDomains(project.coolifyAppUuid!, r.urls);
      return true;
    case 'write-env': {
      const client = await coolify();
      if (r.newKey) {
        await ensureSatelliteEnvironment(project.id, project.coolifyAppUuid!, client, {
          marketplaceUrl: provisioningConfig().MARKETPLACE_URL,
          ownerLogin: false,
        });
      } else {
        await client.upsertEnvs(project.coolifyAppUuid!, r.vars);
      }
      return true;
    }
    case 'none':
      return false;
  }
}
