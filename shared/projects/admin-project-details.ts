import type * as z from 'zod';
import { describeExecution } from '../integrations/stepfunctions/workflows.js';
import { getServer } from '../servers/servers-table.js';
import type { adminProjectDetails } from './admin-project-schemas.js';
import { loadProjectParts, toStaffProjectView } from './project-views.js';

// A project as staff look into it (GET /v1/admin/projects/{id}): the staff view plus where it runs
// (server, Coolify uuids), what it holds at INWX (domain, zone and record ids), and its current
// executions as Step Functions sees them now — what staff need to find it in the consoles.

export async function getAdminProjectDetails(id: string): Promise<z.infer<typeof adminProjectDetails>> {
  const parts = await loadProjectParts(id);
  const p = parts.project;
  const [server, execution, lifecycleExecution] = await Promise.all([
    p.serverId ? getServer(p.serverId) : undefined,
    executionState(p.executionArn),
    executionState(p.lifecycleRequest?.executionArn),
  ]);
  return {
    ...toStaffProjectView(parts),
    server: server
      ? { id: server.id, name: server.name, coolifyUuid: server.coolifyUuid, ipAddress: server.ipAddress }
      : null,
    coolify: {
      projectUuid: p.coolifyProjectUuid ?? null,
      environmentUuid: p.coolifyEnvironmentUuid ?? null,
      applicationUuid: p.coolifyAppUuid ?? null,
      deploymentUuid: p.coolifyDeploymentUuid ?? null,
    },
    inwx: parts.domains.map((d) => ({
      domain: d.unicode ?? d.domain,
      type: d.type,
      status: d.status,
      inwxDomainId: d.inwxDomainId ?? null,
      inwxZoneId: d.inwxZoneId ?? null,
      inwxRecordIds: d.inwxRecordIds ?? {},
    })),
    execution,
    lifecycleExecution,
  };
}

async function executionState(executionArn: string | undefined) {
  if (!executionArn) return null;
  const e = await describeExecution(executionArn);
  return {
    executionArn,
    status: e?.status ?? null,
    redriveCount: e?.redriveCount ?? 0,
    error: e?.error ?? null,
    cause: e?.cause?.slice(0, 2000) ?? null,
  };
}
