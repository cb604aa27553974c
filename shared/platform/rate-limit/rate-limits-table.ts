import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, isConditionFailure, table } from '../table/db.js';

// One counter per route, caller and window; it expires with TTL after its window.
// Access patterns (keys):
//   calls of a caller in a window   pk=RATELIMIT#<route>#<caller>#<window start>  sk=RATELIMIT  (TTL `ttl`)
// Functions that count get UpdateItem on `RATELIMIT#*` keys only (infra/grant-needs.ts).

export const RATE_LIMIT_KEY_PREFIX = 'RATELIMIT#';

/** Counts one call; false when the caller has used up the window (nothing is counted then). */
export async function countCall(
  route: string,
  caller: string,
  window: { start: number; seconds: number },
  limit: number,
): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: `${RATE_LIMIT_KEY_PREFIX}${route}#${caller}#${window.start}`, sk: 'RATELIMIT' },
        UpdateExpression: 'SET #n = if_not_exists(#n, :zero) + :one, #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(#n) OR #n < :limit',
        ExpressionAttributeNames: { '#n': 'calls', '#ttl': 'ttl' },
        ExpressionAttributeValues: {
          ':zero': 0,
          ':one': 1,
          ':limit': limit,
          ':ttl': window.start + window.seconds + 60,
        },
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}
