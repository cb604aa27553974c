import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, isConditionFailure, table } from '../platform/table/db.js';

// Stripe delivers an event at least once and in any order: each event id is handled once. The
// marker is written in the same transaction as the event's effect where it has one (a paid order),
// else on its own just before the effect (a mail). It expires after Stripe has stopped retrying.
// Access patterns (keys):
//   event handled?   pk=STRIPEEVENT#<evt id>  sk=STRIPEEVENT   (TTL attribute `ttl`)

/** Stripe retries for up to three days; events are listed for 30. */
const KEEP_SECONDS = 35 * 24 * 3600;

export function eventMarkerItem(eventId: string, type: string, now = new Date()): Record<string, unknown> {
  return {
    pk: `STRIPEEVENT#${eventId}`,
    sk: 'STRIPEEVENT',
    entity: 'StripeEvent',
    type,
    handledAt: now.toISOString(),
    ttl: Math.floor(now.getTime() / 1000) + KEEP_SECONDS,
  };
}

/** True for the first delivery of the event; false when it was handled before. */
export async function claimEvent(eventId: string, type: string): Promise<boolean> {
  try {
    await db().send(
      new PutCommand({
        TableName: table(),
        Item: eventMarkerItem(eventId, type),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

/** Whether the event was handled before (a replay is acknowledged without doing anything). */
export async function eventSeen(eventId: string): Promise<boolean> {
  const out = await db().send(
    new GetCommand({ TableName: table(), Key: { pk: `STRIPEEVENT#${eventId}`, sk: 'STRIPEEVENT' } }),
  );
  return out.Item !== undefined;
}
