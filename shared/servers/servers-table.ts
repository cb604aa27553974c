import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, failedConditions, fromItem, queryAll, table } from '../platform/table/db.js';
import { projectKeys } from '../projects/projects-table.js';
import type { ServerLoad } from './server-selection.js';

// Coolify servers that host satellites.
// Access patterns (keys):
//   get server                pk=SERVER#<id>  sk=SERVER   (getServer)
//   list servers (with load)  GSI1 gsi1pk=SERVERS  gsi1sk=<name>
// The project count is a counter on the server item, changed only together with the project's
// serverId in one transaction, so it never exceeds maxProjects.

export interface Server extends ServerLoad {
  coolifyUuid: string;
  ipAddress: string;
  sshPort: number;
  hetznerServerType?: string;
  hetznerLocation?: string;
  notes?: string;
  createdAt: string;
  updatedAt: string;
}

export const serverKeys = {
  server: (id: string) => ({ pk: `SERVER#${id}`, sk: 'SERVER' }),
  listIndex: (name: string) => ({ gsi1pk: 'SERVERS', gsi1sk: name }),
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
