import type { FieldError } from '../platform/errors.js';
import type { ServerLoad, ServerStatus } from './server-selection.js';

// What staff and admins may change on a server (PATCH /v1/admin/servers/{id}): pure, so the
// answer is the same in the service and its unit tests. The database repeats the capacity checks
// as conditions (servers-table.ts changeServer), which settle races.

export interface ServerChangeRequest {
  isAcceptingNew?: boolean | undefined;
  maxProjects?: number | undefined;
  status?: ServerStatus | undefined;
}

/**
 * Staff may only stop or restart new placements on a server (an operational switch, e.g. before
 * maintenance); capacity and status are admin settings. The fields a staff member may not set.
 */
export function fieldsNeedingAdmin(change: ServerChangeRequest): FieldError[] {
  return (['maxProjects', 'status'] as const)
    .filter((f) => change[f] !== undefined)
    .map((path) => ({ path, message: 'only an admin may change this (staff may set isAcceptingNew)' }));
}

/** Statuses that leave the projects on a server without one: refused while projects run there. */
const ORPHANING: readonly ServerStatus[] = ['retired'];

/** Why the change would break the server's projects (409), or nothing. */
export function serverChangeConflicts(server: ServerLoad, change: ServerChangeRequest): FieldError[] {
  const errors: FieldError[] = [];
  if (change.maxProjects !== undefined && change.maxProjects < server.projectCount) {
    errors.push({
      path: 'maxProjects',
      message: `${server.projectCount} projects run on ${server.name}: maxProjects cannot be below that`,
    });
  }
  if (change.status !== undefined && ORPHANING.includes(change.status) && server.projectCount > 0) {
    errors.push({
      path: 'status',
      message: `${server.projectCount} project${server.projectCount === 1 ? '' : 's'} would be orphaned on ${server.name}: archive or move ${server.projectCount === 1 ? 'it' : 'them'} first`,
    });
  }
  return errors;
}
