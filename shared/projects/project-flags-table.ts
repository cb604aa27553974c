import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, failedConditions, table } from '../platform/table/db.js';
import { logItem, projectKeys } from './projects-table.js';

// A staff-set flag of a project (superadmin, preview protection), written together with its log
// entry. No new keys: the project item and its log (projects-table.ts).

export type ProjectFlag = 'isSuperadmin' | 'previewProtection';

/** Sets the flag and logs who did it, in one transaction; false when the project does not exist. */
export async function writeProjectFlag(
  projectId: string,
  flag: ProjectFlag,
  value: boolean,
  log: { action: string; message: string; by: string },
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
              UpdateExpression: 'SET #flag = :value, updatedAt = :now',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeNames: { '#flag': flag },
              ExpressionAttributeValues: { ':value': value, ':now': now },
            },
          },
          {
            Put: {
              TableName: table(),
              Item: logItem({
                projectId,
                action: log.action,
                message: log.message,
                triggeredBy: log.by,
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
