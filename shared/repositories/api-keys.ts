import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './db.js';
import { projectKeys } from './projects.js';

// Satellite API keys, stored only as SHA-256 hashes.
// Access patterns (keys):
//   project of a key (auth)   pk=APIKEY#<sha256>  sk=APIKEY   → { projectId }

export const apiKeyKeys = { marker: (hash: string) => ({ pk: `APIKEY#${hash}`, sk: 'APIKEY' }) };

export async function findProjectIdByApiKeyHash(hash: string): Promise<string | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: apiKeyKeys.marker(hash) }));
  return out.Item?.projectId as string | undefined;
}

/**
 * Makes `newHash` the project's only key: writes its marker, points the project at it and deletes
 * the previous marker, all in one transaction (a key never exists half-issued).
 */
export async function replaceProjectApiKey(
  projectId: string,
  newHash: string,
  oldHash: string | undefined,
): Promise<void> {
  const now = new Date().toISOString();
  await db().send(
    new TransactWriteCommand({
      TransactItems: [
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
            UpdateExpression: 'SET apiKeyHash = :h, updatedAt = :now',
            ConditionExpression: oldHash ? 'apiKeyHash = :old' : 'attribute_not_exists(apiKeyHash)',
            ExpressionAttributeValues: {
              ':h': newHash,
              ':now': now,
              ...(oldHash ? { ':old': oldHash } : {}),
            },
          },
        },
        ...(oldHash ? [{ Delete: { TableName: table(), Key: apiKeyKeys.marker(oldHash) } }] : []),
      ],
    }),
  );
}
