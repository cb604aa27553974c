import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, fromItem, table } from '../platform/table/db.js';
import type { SelectionStrategy } from './server-selection.js';

// How ReserveServer picks a server: an admin setting in the table (one item), so it changes without
// a deploy and every reservation sees the same value. The round-robin counter lives on it too.
// Access patterns (keys):
//   the server selection setting   pk=SETTINGS#server-selection  sk=SETTINGS

export interface ServerSelectionSettings {
  strategy: SelectionStrategy;
  /** Tickets drawn so far by round-robin reservations. */
  roundRobinCounter: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

const key = { pk: 'SETTINGS#server-selection', sk: 'SETTINGS' };

/** The setting; least-loaded until an admin chooses otherwise. */
export async function getServerSelection(): Promise<ServerSelectionSettings> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: key, ConsistentRead: true }));
  const item = out.Item ? fromItem<Partial<ServerSelectionSettings>>(out.Item) : {};
  return {
    strategy: item.strategy ?? 'least-loaded',
    roundRobinCounter: item.roundRobinCounter ?? 0,
    updatedAt: item.updatedAt ?? null,
    updatedBy: item.updatedBy ?? null,
  };
}

export async function setServerSelectionStrategy(
  strategy: SelectionStrategy,
  by: string,
): Promise<ServerSelectionSettings> {
  const out = await db().send(
    new UpdateCommand({
      TableName: table(),
      Key: key,
      UpdateExpression: 'SET strategy = :s, updatedAt = :now, updatedBy = :by, entity = :e',
      ExpressionAttributeValues: {
        ':s': strategy,
        ':now': new Date().toISOString(),
        ':by': by,
        ':e': 'Settings',
      },
      ReturnValues: 'ALL_NEW',
    }),
  );
  const item = fromItem<Partial<ServerSelectionSettings>>(out.Attributes ?? {});
  return {
    strategy,
    roundRobinCounter: item.roundRobinCounter ?? 0,
    updatedAt: item.updatedAt ?? null,
    updatedBy: item.updatedBy ?? null,
  };
}

/**
 * A round-robin ticket: the counter moved on by one in one atomic update, which answers the value
 * it wrote, so concurrent reservations each get their own number and start at different servers.
 */
export async function drawRoundRobinTicket(): Promise<number> {
  const out = await db().send(
    new UpdateCommand({
      TableName: table(),
      Key: key,
      UpdateExpression: 'ADD roundRobinCounter :one',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(out.Attributes?.roundRobinCounter ?? 1) - 1;
}
