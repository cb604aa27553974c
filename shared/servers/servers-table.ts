import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  db,
  failedConditions,
  fromItem,
  isConditionFailure,
  type QueryInput,
  queryAll,
  table,
} from '../platform/table/db.js';
import { projectKeys } from '../projects/projects-table.js';
import type { ServerLoad } from './server-selection.js';

// Coolify servers that host satellites.
// Access patterns (keys):
//   get server                pk=SERVER#<id>  sk=SERVER   (getServer)
//   list servers (with load)  GSI1 gsi1pk=SERVERS  gsi1sk=<name>
//   projects on a server      pk=SERVER#<id>  sk begins_with PROJECT#  (one small item per slot taken)
//   name / Coolify uuid taken pk=SERVERNAME#<name> / COOLIFYSERVER#<uuid>  (markers, createServer)
// The project count is a counter on the server item, changed only together with the project's
// serverId in one transaction, so it never exceeds maxProjects.

export interface Server extends ServerLoad {
  coolifyUuid: string;
  ipAddress: string;
  sshPort: number;
  hetznerServerType?: string;
  hetznerLocation?: string;
  notes?: string;
  /** Who last changed it through the admin API (or created it). */
  updatedBy?: string;
  createdAt: string;
  updatedAt: string;
}

export const serverKeys = {
  server: (id: string) => ({ pk: `SERVER#${id}`, sk: 'SERVER' }),
  listIndex: (name: string) => ({ gsi1pk: 'SERVERS', gsi1sk: name }),
  /** A project holding a slot here: written with the slot, deleted when the slot is freed. */
  projectOnServer: (id: string, projectId: string) => ({ pk: `SERVER#${id}`, sk: `PROJECT#${projectId}` }),
  nameMarker: (name: string) => ({ pk: `SERVERNAME#${name}`, sk: 'SERVERNAME' }),
  coolifyUuidMarker: (uuid: string) => ({ pk: `COOLIFYSERVER#${uuid}`, sk: 'COOLIFYSERVER' }),
};

export function serverItem(s: Server): Record<string, unknown> {
  return { ...serverKeys.server(s.id), ...serverKeys.listIndex(s.name), entity: 'Server', ...s };
}

export async function getServer(id: string): Promise<Server | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: serverKeys.server(id) }));
  return out.Item ? fromItem<Server>(out.Item) : undefined;
}

export function listServers(): Promise<Server[]> {
  return queryAll<Server>({
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': 'SERVERS' },
  });
}

/** The server Coolify knows by `coolifyUuid` (a handful of servers: the list is one query). */
export async function findServerByCoolifyUuid(coolifyUuid: string): Promise<Server | undefined> {
  return (await listServers()).find((s) => s.coolifyUuid === coolifyUuid);
}

/**
 * The transaction item that counts an imported project on its server. It runs there already, so it
 * counts even beyond `maxProjects` or on a server that takes no new projects: the count stays true.
 */
export function countImportedProjectItem(serverId: string, now: string) {
  return {
    Update: {
      TableName: table(),
      Key: serverKeys.server(serverId),
      UpdateExpression: 'SET projectCount = projectCount + :one, updatedAt = :now',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':one': 1, ':now': now },
    },
  };
}

/**
 * The transaction item that frees a project's slot on its server (assignServer's counterpart): the
 * same transaction removes the project's serverId on condition it still names this server, so a
 * slot is freed once.
 */
export function releaseServerSlotItem(serverId: string, now: string) {
  return {
    Update: {
      TableName: table(),
      Key: serverKeys.server(serverId),
      UpdateExpression: 'SET projectCount = projectCount - :one, updatedAt = :now',
      ConditionExpression: 'attribute_exists(pk) AND projectCount >= :one',
      ExpressionAttributeValues: { ':one': 1, ':now': now },
    },
  };
}

export type AssignResult = 'assigned' | 'server-full' | 'project-already-assigned';

/** Takes a slot on `serverId` for the project, atomically with setting the project's serverId. */
export async function assignServer(projectId: string, serverId: string): Promise<AssignResult> {
  const now = new Date().toISOString();
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table(),
              Key: serverKeys.server(serverId),
              UpdateExpression: 'SET projectCount = projectCount + :one, updatedAt = :now',
              ConditionExpression: '#s = :active AND isAcceptingNew = :yes AND projectCount < maxProjects',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: { ':one': 1, ':now': now, ':active': 'active', ':yes': true },
            },
          },
          {
            Update: {
              TableName: table(),
              Key: projectKeys.project(projectId),
              UpdateExpression: 'SET serverId = :sid, updatedAt = :now',
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(serverId)',
              ExpressionAttributeValues: { ':sid': serverId, ':now': now },
            },
          },
          serverProjectPutItem(serverId, projectId, now),
        ],
      }),
    );
    return 'assigned';
  } catch (err) {
    const failed = failedConditions(err);
    if (failed.includes(1)) return 'project-already-assigned';
    if (failed.includes(0)) return 'server-full';
    throw err;
  }
}

/** The item listing a project on its server (GET /v1/admin/projects?server=), put with its slot. */
export function serverProjectPutItem(serverId: string, projectId: string, now: string) {
  return {
    Put: {
      TableName: table(),
      Item: {
        ...serverKeys.projectOnServer(serverId, projectId),
        entity: 'ServerProject',
        projectId,
        serverId,
        since: now,
      },
    },
  };
}

/** Deletes that item with the slot's release (releaseServerSlotItem); absent for projects placed before it existed. */
export function serverProjectDeleteItem(serverId: string, projectId: string) {
  return { Delete: { TableName: table(), Key: serverKeys.projectOnServer(serverId, projectId) } };
}

/** The query behind a page of a server's projects (pages.ts signs its cursor). */
export const projectsOnServerQuery = (serverId: string): QueryInput => ({
  KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
  ExpressionAttributeValues: { ':pk': `SERVER#${serverId}`, ':p': 'PROJECT#' },
});

export type CreateServerOutcome = 'created' | 'name-taken' | 'coolify-uuid-taken';

/** A new server with its name and Coolify uuid markers, all or nothing: a duplicate of either is refused. */
export async function createServer(server: Server): Promise<CreateServerOutcome> {
  const marker = (key: { pk: string; sk: string }, entity: string) => ({
    Put: {
      TableName: table(),
      Item: { ...key, entity, serverId: server.id },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          marker(serverKeys.nameMarker(server.name), 'ServerNameMarker'),
          marker(serverKeys.coolifyUuidMarker(server.coolifyUuid), 'CoolifyServerMarker'),
          {
            Put: {
              TableName: table(),
              Item: serverItem(server),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
    return 'created';
  } catch (err) {
    const failed = failedConditions(err);
    if (failed.includes(0)) return 'name-taken';
    if (failed.includes(1)) return 'coolify-uuid-taken';
    throw err;
  }
}

/** The name and uuid markers of a seeded server (seed-catalog.ts writes them with the server). */
export function serverMarkerItems(s: Server): Record<string, unknown>[] {
  return [
    { ...serverKeys.nameMarker(s.name), entity: 'ServerNameMarker', serverId: s.id },
    { ...serverKeys.coolifyUuidMarker(s.coolifyUuid), entity: 'CoolifyServerMarker', serverId: s.id },
  ];
}

export interface ServerChange {
  isAcceptingNew?: boolean | undefined;
  maxProjects?: number | undefined;
  status?: Server['status'] | undefined;
}

export type ChangeServerOutcome =
  | { outcome: 'changed'; server: Server }
  | { outcome: 'not-found' }
  /** The condition failed: the server as it is now (its projectCount says why). */
  | { outcome: 'conflict'; server: Server };

/**
 * Changes a server. The database enforces what would break the slot invariant: maxProjects never
 * below projectCount, `retired` only with no project on it (changeServerRules says it first).
 */
export async function changeServer(
  id: string,
  change: ServerChange,
  by: string,
): Promise<ChangeServerOutcome> {
  const now = new Date().toISOString();
  const sets = ['updatedAt = :now', 'updatedBy = :by'];
  const values: Record<string, unknown> = { ':now': now, ':by': by };
  const names: Record<string, string> = {};
  const conditions = ['attribute_exists(pk)'];
  if (change.isAcceptingNew !== undefined) {
    sets.push('isAcceptingNew = :accepting');
    values[':accepting'] = change.isAcceptingNew;
  }
  if (change.maxProjects !== undefined) {
    sets.push('maxProjects = :max');
    values[':max'] = change.maxProjects;
    conditions.push('projectCount <= :max');
  }
  if (change.status !== undefined) {
    sets.push('#status = :status');
    names['#status'] = 'status';
    values[':status'] = change.status;
    if (change.status === 'retired') {
      conditions.push('projectCount = :zero');
      values[':zero'] = 0;
    }
  }
  try {
    const out = await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: serverKeys.server(id),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeValues: values,
        ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
        ReturnValues: 'ALL_NEW',
      }),
    );
    return { outcome: 'changed', server: fromItem<Server>(out.Attributes ?? {}) };
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    const current = await getServer(id);
    return current ? { outcome: 'conflict', server: current } : { outcome: 'not-found' };
  }
}
