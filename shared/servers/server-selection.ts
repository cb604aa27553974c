// Server choice (seeds/000 §11.3 "least loaded"): among active servers accepting new projects with
// a free slot, the one with the most free slots; ties go to the lower project count, then the name,
// so the choice is deterministic. Taking the slot is the repository's conditional write.

export type ServerStatus = 'provisioning' | 'active' | 'maintenance' | 'offline';

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

export function chooseServer<T extends ServerLoad>(servers: readonly T[]): T | undefined {
  return servers
    .filter(isAvailable)
    .sort(
      (a, b) =>
        availableSlots(b) - availableSlots(a) ||
        a.projectCount - b.projectCount ||
        a.name.localeCompare(b.name),
    )[0];
}
