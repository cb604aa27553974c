import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, failedConditions, table } from '../platform/table/db.js';
import { logItem, projectKeys } from './projects-table.js';

// A project's superadmin flag (alpha and beta plugin versions), set by staff together with its log
// entry. No new keys: the project item and its log (projects-table.ts).

/** Sets the flag and logs who did it, in one transaction; false when the project does not exist. */
export async function writeSuperadminFlag(
  projectId: string,
  isSuperadmin: boolean,
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
              UpdateExpression: 'SET isSuperadmin = :flag, updatedAt = :now',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':flag': isSuperadmin, ':now': now },
            },
          },
          {
            Put: {
              TableName: table(),
              Item: logItem({
                projectId,
                action: isSuperadmin ? 'superadmin_set' : 'superadmin_cleared',
                message: isSuperadmin
                  ? 'Superadmin project: offered alpha and beta plugin versions too'
                  : 'No longer a superadmin project: offered stable plugin versions only',
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
