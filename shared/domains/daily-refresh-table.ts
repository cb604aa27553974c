import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, isConditionFailure, table } from '../platform/table/db.js';

// The day (UTC, YYYY-MM-DD) the domain-sync job last did its daily part. A marker item rather than a
// schedule of its own: the daily part needs the account list the job has just read in its one INWX
// session (a second schedule would open a second session and read it again, with its own
// scheduler, role and dead-letter queue); a run's `now` decides the day, so a test can jump a day.
// Access pattern (keys):
//   the marker   pk=JOB#domain-sync  sk=DAILYREFRESH

const KEY = { pk: 'JOB#domain-sync', sk: 'DAILYREFRESH' };

export async function lastDailyRefresh(): Promise<string | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: KEY, ConsistentRead: true }));
  return out.Item?.day as string | undefined;
}

/**
 * Records `day` as done, on condition that no run recorded it (or a later day) before: of two runs
 * on the same day (a retried delivery, an overlap), exactly one gets true.
 */
export async function claimDailyRefresh(day: string, at: string): Promise<boolean> {
  try {
    await db().send(
      new PutCommand({
        TableName: table(),
        Item: { ...KEY, entity: 'JobMarker', day, at },
        ConditionExpression: 'attribute_not_exists(pk) OR #day < :day',
        ExpressionAttributeNames: { '#day': 'day' },
        ExpressionAttributeValues: { ':day': day },
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}
