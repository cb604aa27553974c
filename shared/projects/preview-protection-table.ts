import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, failedConditions, table } from '../platform/table/db.js';
import { logItem, projectKeys } from './projects-table.js';

// A project's preview protection switch (shared/preview/), set by staff together with its log
// entry. No new keys: the project item and its log (projects-table.ts).

/** Sets the switch and logs who did it, in one transaction; false when the project does not exist. */
export async function writePreviewProtection(
  projectId: string,
  enabled: boolean,
  by: string,
): Promise<boolean> {
  const now = new Date().toISOString();
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table(),
              Key: projectKeys.project(projectId),
              UpdateExpression: 'SET previewProtection = :on, updatedAt = :now',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':on': enabled, ':now': now },
            },
          },
          {
            Put: {
              TableName: table(),
              Item: logItem({
                projectId,
                action: enabled ? 'preview_protection_on' : 'preview_protection_off',
                message: enabled
                  ? 'Preview protection on: the site opens only with a preview link or code, and is not indexed'
                  : 'Preview protection off: the site is public',
                triggeredBy: by,
                createdAt: now,
              }),
            },
          },
        ],
      }),
    );
    return true;
  } catch (err) {
    if (failedConditions(err).includes(0)) return false;
    throw err;
  }
}
