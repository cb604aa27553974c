import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { ConflictError, ForbiddenError, NotFoundError } from '../platform/errors.js';
import type { Caller } from '../platform/http/auth.js';
import type { addServerRequest, serverView } from './schemas.js';
import { getServerSelection, setServerSelectionStrategy } from './selection-settings-table.js';
import { fieldsNeedingAdmin, type ServerChangeRequest, serverChangeConflicts } from './server-rules.js';
import type { SelectionStrategy } from './server-selection.js';
import { changeServer, createServer, listServers, type Server } from './servers-table.js';

// Staff see the servers with their load; admins add and change them (GET/POST/PATCH /v1/admin/servers).

export function toServerView(s: Server): z.infer<typeof serverView> {
  return {
    id: s.id,
    name: s.name,
    coolifyUuid: s.coolifyUuid,
    ipAddress: s.ipAddress,
    status: s.status,
    isAcceptingNew: s.isAcceptingNew,
    maxProjects: s.maxProjects,
    projectCount: s.projectCount,
    ...(s.hetznerServerType ? { hetznerType: s.hetznerServerType } : {}),
    ...(s.hetznerLocation ? { location: s.hetznerLocation } : {}),
  };
}

export async function serversView() {
  return { items: (await listServers()).map(toServerView), nextCursor: null };
}

export async function addServer(caller: Caller, req: z.infer<typeof addServerRequest>) {
  // Servers seeded before the markers existed have none: the list (a handful) catches those.
  const existing = await listServers();
  const sameName = existing.find((s) => s.name === req.name);
  const sameUuid = existing.find((s) => s.coolifyUuid === req.coolifyUuid);
  const duplicate = (sameName ? 'name-taken' : undefined) ?? (sameUuid ? 'coolify-uuid-taken' : undefined);
  const now = new Date().toISOString();
  const server: Server = {
    id: randomUUID(),
    name: req.name,
    coolifyUuid: req.coolifyUuid,
    ipAddress: req.ipAddress,
    sshPort: 22,
    status: 'active',
    isAcceptingNew: true,
    projectCount: 0,
    maxProjects: req.maxProjects,
    ...(req.hetznerType ? { hetznerServerType: req.hetznerType } : {}),
    ...(req.location ? { hetznerLocation: req.location } : {}),
    updatedBy: caller.email,
    createdAt: now,
    updatedAt: now,
  };
  const outcome = duplicate ?? (await createServer(server));
  if (outcome === 'name-taken')
    throw new ConflictError(`A server named ${req.name} exists already.`, [
      { path: 'name', message: 'taken' },
    ]);
  if (outcome === 'coolify-uuid-taken')
    throw new ConflictError(`Coolify server ${req.coolifyUuid} is one of ours already.`, [
      { path: 'coolifyUuid', message: 'taken' },
    ]);
  return toServerView(server);
}

export async function changeServerSettings(caller: Caller, id: string, change: ServerChangeRequest) {
  if (!caller.roles.includes('admin')) {
    const refused = fieldsNeedingAdmin(change);
    if (refused.length)
      throw new ForbiddenError('Staff may only open or close a server for new projects.', refused);
  }
  const result = await changeServer(id, change, caller.email);
  if (result.outcome === 'not-found') throw new NotFoundError(`Server ${id} not found.`);
  if (result.outcome === 'conflict') {
    const conflicts = serverChangeConflicts(result.server, change);
    throw new ConflictError(
      conflicts.map((c) => c.message).join('; ') ||
        `Server ${result.server.name} changed meanwhile; try again.`,
      conflicts,
    );
  }
  return toServerView(result.server);
}

/** The selection strategy ReserveServer follows (PUT /v1/admin/server-selection, admin). */
export const serverSelectionView = () => getServerSelection();

export const chooseSelectionStrategy = (caller: Caller, strategy: SelectionStrategy) =>
  setServerSelectionStrategy(strategy, caller.email);
