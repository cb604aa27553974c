// Server choice (seeds/000 §11.3 "least loaded"): among active servers accepting new projects with
// a free slot, the one with the most free slots; ties go to the lower project count, then the name,
// so the choice is deterministic. Taking the slot is the repository's conditional write.

/** `retired`: taken out of service for good (only once no project runs there). */
export type ServerStatus = 'provisioning' | 'active' | 'maintenance' | 'offline' | 'retired';
export const SERVER_STATUSES = ['provisioning', 'active', 'maintenance', 'offline', 'retired'] as const;

export interface ServerLoad {
  id: string;
  name: string;
  status: ServerStatus;
  isAcceptingNew: boolean;
  projectCount: number;
  maxProjects: number;
}

export function availableSlots(server: Pick<ServerLoad, 'projectCount' | 'maxProjects'>): number {
  return Math.max(0, server.maxProjects - server.projectCount);
}

export function isAvailable(server: ServerLoad): boolean {
  return server.status === 'active' && server.isAcceptingNew && availableSlots(server) > 0;
}

/** The least-loaded server with a free slot (the default strategy's first candidate). */
export function chooseServer<T extends ServerLoad>(servers: readonly T[]): T | undefined {
  return serverCandidates(servers, 'least-loaded')[0];
}

/** How ReserveServer picks among the servers with a free slot (an admin setting, selection-settings-table.ts). */
export const SELECTION_STRATEGIES = ['least-loaded', 'round-robin'] as const;
export type SelectionStrategy = (typeof SELECTION_STRATEGIES)[number];

/**
 * The servers to try, best first. least-loaded: chooseServer's order. round-robin: the available
 * servers by name, starting at `ticket` (a persistent counter each reservation draws a new value
 * from, so concurrent orders start at different servers); the others follow in turn, so a server
 * filled meanwhile is passed over, not retried.
 */
export function serverCandidates<T extends ServerLoad>(
  servers: readonly T[],
  strategy: SelectionStrategy,
  ticket = 0,
): T[] {
  if (strategy === 'least-loaded') {
    return servers
      .filter(isAvailable)
      .sort(
        (a, b) =>
          availableSlots(b) - availableSlots(a) ||
          a.projectCount - b.projectCount ||
          a.name.localeCompare(b.name),
      );
  }
  const open = servers.filter(isAvailable).sort((a, b) => a.name.localeCompare(b.name));
  if (open.length === 0) return [];
  const start = ((ticket % open.length) + open.length) % open.length;
  return [...open.slice(start), ...open.slice(0, start)];
}

/** Why a server was (or would be) chosen, in words staff read in the log and the plan. */
export function choiceReason(strategy: SelectionStrategy, server: ServerLoad, requested: boolean): string {
  const free = availableSlots(server);
  if (requested) return `requested for this order by staff; ${free} of ${server.maxProjects} slots free`;
  if (strategy === 'round-robin')
    return `next in turn (round-robin); ${free} of ${server.maxProjects} slots free`;
  return `least loaded: ${free} of ${server.maxProjects} slots free, the most of any open server`;
}
