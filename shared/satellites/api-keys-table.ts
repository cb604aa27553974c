import { GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { db, failedConditions, table } from '../platform/table/db.js';
import { projectKeys } from '../projects/projects-table.js';

// Satellite API keys, stored only as SHA-256 hashes.
// Access patterns (keys):
//   project of a key (auth)   pk=APIKEY#<sha256>  sk=APIKEY   → { projectId }

export const apiKeyKeys = { marker: (hash: string) => ({ pk: `APIKEY#${hash}`, sk: 'APIKEY' }) };

export async function findProjectIdByApiKeyHash(hash: string): Promise<string | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: apiKeyKeys.marker(hash) }));
  return out.Item?.projectId as string | undefined;
}

/**
 * Step 1 of issuing a key: its marker is written (so the key is accepted) and the project records it
 * as pending, before any copy of it reaches Coolify. `replacedPending` is a pending key an
 * interrupted or concurrent run left; its marker goes. False when another run changed the pending
 * key first (nothing written).
 */
export async function addPendingApiKey(
  projectId: string,
  newHash: string,
  replacedPending: string | undefined,
): Promise<boolean> {
  const now = new Date().toISOString();
  return transact(
    [
      {
        Put: {
          TableName: table(),
          Item: { ...apiKeyKeys.marker(newHash), entity: 'ApiKey', projectId, createdAt: now },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: table(),
          Key: projectKeys.project(projectId),
          UpdateExpression: 'SET pendingApiKeyHash = :h, updatedAt = :now',
          ConditionExpression: replacedPending
            ? 'pendingApiKeyHash = :old'
            : 'attribute_exists(pk) AND attribute_not_exists(pendingApiKeyHash)',
          ExpressionAttributeValues: {
            ':h': newHash,
            ':now': now,
            ...(replacedPending ? { ':old': replacedPending } : {}),
          },
        },
      },
      ...(replacedPending
        ? [{ Delete: { TableName: table(), Key: apiKeyKeys.marker(replacedPending) } }]
        : []),
    ],
    1,
  );
}

/**
 * Step 2: Coolify holds the pending key, so it becomes the project's only key and `previous` stops
 * working. False when another run replaced the pending key or the key meanwhile (nothing written).
 */
export async function promotePendingApiKey(
  projectId: string,
  hash: string,
  previous: string | undefined,
): Promise<boolean> {
  return transact(
    [
      {
        Update: {
          TableName: table(),
          Key: projectKeys.project(projectId),
          UpdateExpression: 'SET apiKeyHash = :h, updatedAt = :now REMOVE pendingApiKeyHash',
          ConditionExpression: `pendingApiKeyHash = :h AND ${previous ? 'apiKeyHash = :old' : 'attribute_not_exists(apiKeyHash)'}`,
          ExpressionAttributeValues: {
            ':h': hash,
            ':now': new Date().toISOString(),
            ...(previous ? { ':old': previous } : {}),
          },
        },
      },
      ...(previous ? [{ Delete: { TableName: table(), Key: apiKeyKeys.marker(previous) } }] : []),
    ],
    0,
  );
}

/** Runs the transaction; false when the project's condition (item `projectItem`) failed. */
async function transact(
  items: NonNullable<TransactWriteCommandInput['TransactItems']>,
  projectItem: number,
): Promise<boolean> {
  try {
    await db().send(new TransactWriteCommand({ TransactItems: items }));
    return true;
  } catch (err) {
    if (failedConditions(err).includes(projectItem)) return false;
    throw err;
  }
}
