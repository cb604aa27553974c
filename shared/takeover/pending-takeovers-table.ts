import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, failedConditions, table } from '../platform/table/db.js';
import { logItem, type PendingTakeover, projectKeys } from '../projects/projects-table.js';

// A takeover by card waits for its payment on the project item (pendingTakeover), so the Stripe
// webhook finds it by the project id the Checkout Session carries. No new keys: the project item
// and its log (projects-table.ts).

/**
 * Records the pending takeover with its log entry, on condition the project is still a live demo
 * with no takeover pending and no lifecycle request open. False when it is not.
 */
export async function recordPendingTakeover(projectId: string, pending: PendingTakeover): Promise<boolean> {
  const at = pending.requestedAt;
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table(),
              Key: projectKeys.project(projectId),
              UpdateExpression: 'SET #pt = :pt, updatedAt = :now',
              ConditionExpression:
                '#status = :active AND isDemo = :true AND attribute_not_exists(#pt) AND attribute_not_exists(lifecycleRequest)',
              ExpressionAttributeNames: { '#pt': 'pendingTakeover', '#status': 'status' },
              ExpressionAttributeValues: { ':pt': pending, ':now': at, ':active': 'active', ':true': true },
            },
          },
          {
            Put: {
              TableName: table(),
              Item: logItem({
                projectId,
                action: 'takeover_requested',
                message: `Staff asked for a takeover by ${pending.terms.ownerEmail} (${pending.terms.paymentMethod}); it runs once the Checkout is paid`,
                triggeredBy: pending.requestedBy,
                externalService: 'stripe',
                externalId: pending.sessionId,
                createdAt: at,
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

/** Drops a pending takeover whose Checkout expired unpaid (only that session's), with a log entry. */
export async function dropPendingTakeover(projectId: string, sessionId: string): Promise<boolean> {
  const at = new Date().toISOString();
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table(),
              Key: projectKeys.project(projectId),
              UpdateExpression: 'SET updatedAt = :now REMOVE #pt',
              ConditionExpression: '#pt.sessionId = :sid',
              ExpressionAttributeNames: { '#pt': 'pendingTakeover' },
              ExpressionAttributeValues: { ':sid': sessionId, ':now': at },
            },
          },
          {
            Put: {
              TableName: table(),
              Item: logItem({
                projectId,
                action: 'takeover_lapsed',
                message: 'The takeover lapsed: its Checkout expired unpaid. Staff may ask again.',
                triggeredBy: 'stripe',
                externalService: 'stripe',
                externalId: sessionId,
                createdAt: at,
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
