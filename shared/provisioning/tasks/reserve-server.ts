import { NoFreeServerError, TransientError } from '../../platform/errors.js';
import { appendLog, getProject } from '../../projects/projects-table.js';
import { chooseServer } from '../../servers/server-selection.js';
import { assignServer, listServers } from '../../servers/servers-table.js';
import { requireInProgress } from './guards.js';

// Task ReserveServer: the least-loaded server with a free slot; the slot is taken in the same
// transaction that records the server on the project, so running twice takes one slot.

const ATTEMPTS = 5;

export async function reserveServer(projectId: string): Promise<{ projectId: string; serverId: string }> {
  for (let i = 0; i < ATTEMPTS; i++) {
    const project = requireInProgress(await getProject(projectId), projectId);
    if (project.serverId) return { projectId, serverId: project.serverId };
    const server = chooseServer(await listServers());
    // Our own capacity, not a Coolify failure: staff see it as such (Provisioning.NoFreeServer).
    if (!server) throw new NoFreeServerError();
    const result = await assignServer(projectId, server.id);
    if (result === 'assigned') {
      await appendLog({
        projectId,
        action: 'server_assigned',
        message: `Server ${server.name} (${server.ipAddress}) chosen, ${server.maxProjects - server.projectCount - 1} slots left`,
        externalService: 'coolify',
        externalId: server.coolifyUuid,
      });
      return { projectId, serverId: server.id };
    }
    // server-full: someone took the last slot meanwhile; project-already-assigned: re-read.
  }
  throw new TransientError('ServerContention', 'servers kept filling up while choosing one');
}
