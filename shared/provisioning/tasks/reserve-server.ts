import { NoFreeServerError, TransientError } from '../../platform/errors.js';
import { appendLog, getProject } from '../../projects/projects-table.js';
import { drawRoundRobinTicket, getServerSelection } from '../../servers/selection-settings-table.js';
import { choiceReason, isAvailable, serverCandidates } from '../../servers/server-selection.js';
import { assignServer, listServers, type Server } from '../../servers/servers-table.js';
import { requireInProgress } from './guards.js';

// Task ReserveServer: a server with a free slot, picked by the admin's strategy (least-loaded by
// default, or round-robin), or the one staff named for this order. The slot is taken in the same
// transaction that records the server on the project, so running twice takes one slot, and
// concurrent reservations never push a server beyond maxProjects.

const ATTEMPTS = 5;

export async function reserveServer(projectId: string): Promise<{ projectId: string; serverId: string }> {
  const { strategy } = await getServerSelection();
  for (let i = 0; i < ATTEMPTS; i++) {
    const project = requireInProgress(await getProject(projectId), projectId);
    if (project.serverId) return { projectId, serverId: project.serverId };
    const servers = await listServers();
    const requested = project.requestedServerId;
    let candidates: Server[];
    if (requested) {
      const server = servers.find((s) => s.id === requested);
      if (!server || !isAvailable(server))
        throw new NoFreeServerError(
          `no free server: server ${server?.name ?? requested}, requested for this order, has no free slot or takes no new projects; open it or raise its maxProjects, then retry`,
        );
      candidates = [server];
    } else {
      const ticket = strategy === 'round-robin' ? await drawRoundRobinTicket() : 0;
      candidates = serverCandidates(servers, strategy, ticket);
    }
    // Our own capacity, not a Coolify failure: staff see it as such (Provisioning.NoFreeServer).
    if (candidates.length === 0) throw new NoFreeServerError();
    for (const server of candidates) {
      const result = await assignServer(projectId, server.id);
      if (result === 'project-already-assigned') break; // re-read the project
      if (result === 'assigned') {
        await appendLog({
          projectId,
          action: 'server_assigned',
          message: `Server ${server.name} (${server.ipAddress}) chosen — ${choiceReason(strategy, server, Boolean(requested))}; ${server.maxProjects - server.projectCount - 1} slots left`,
          externalService: 'coolify',
          externalId: server.coolifyUuid,
        });
        return { projectId, serverId: server.id };
      }
      // server-full: someone took its last slot meanwhile; try the next candidate.
    }
  }
  throw new TransientError('ServerContention', 'servers kept filling up while choosing one');
}
