import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, failedConditions, table } from '../platform/table/db.js';
import { isCustomDomain } from './domain-status.js';
import { logItem, type ProjectDomain, projectKeys } from './projects-table.js';

// Releasing an unpaid order whose Checkout Session expired (shared/billing/expired-checkout.ts).
// Unlike a lifecycle archive, which keeps the markers (an archived live site's names stay taken),
// an order that was never paid never went live: its names go back to the pool. No new keys: the
// project's item collection and the domain and slug markers (projects-table.ts).

export type ReleaseOutcome = 'released' | 'seen-before' | 'not-awaiting-payment' | 'parts-changed';

/**
 * One transaction: the event's once-only marker; the project `pending_payment` → `archived` with
 * the reason (only while it awaits exactly this Checkout Session); its slug and domain markers
 * deleted (only while they name this project); its domains marked removed (as read); the log entry.
 */
export async function releaseUnpaidOrder(p: {
  projectId: string;
  sessionId: string;
  slug: string;
  domains: ProjectDomain[];
  marker: Record<string, unknown>;
  reason: string;
}): Promise<ReleaseOutcome> {
  const T = table();
  const now = new Date().toISOString();
  const ownMarker = (key: { pk: string; sk: string }) => ({
    Delete: {
      TableName: T,
      Key: key,
      ConditionExpression: 'projectId = :id',
      ExpressionAttributeValues: { ':id': p.projectId },
    },
  });
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: T, Item: p.marker, ConditionExpression: 'attribute_not_exists(pk)' } },
          {
            Update: {
              TableName: T,
              Key: projectKeys.project(p.projectId),
              UpdateExpression:
                'SET #status = :to, gsi2pk = :gsi2pk, updatedAt = :now, archiveReason = :reason, archivedAt = :now, archivedBy = :by',
              ConditionExpression: '#status = :from AND stripeCheckoutSessionId = :sid',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':to': 'archived',
                ':from': 'pending_payment',
                ':gsi2pk': 'STATUS#archived',
                ':now': now,
                ':reason': p.reason,
                ':by': 'stripe',
                ':sid': p.sessionId,
              },
            },
          },
          ownMarker(projectKeys.slugMarker(p.slug)),
          ...p.domains.map((d) => ownMarker(projectKeys.domainMarker(d.domain))),
          ...p.domains.map((d) => {
            const index = isCustomDomain(d) ? projectKeys.domainStatusIndex('removed', d.domain) : undefined;
            return {
              Update: {
                TableName: T,
                Key: projectKeys.domain(p.projectId, d.domain),
                UpdateExpression: `SET #status = :removed, updatedAt = :now${index ? ', gsi1pk = :gsi1pk, gsi1sk = :gsi1sk' : ''}`,
                ConditionExpression: '#status = :was',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':removed': 'removed',
                  ':was': d.status,
                  ':now': now,
                  ...(index ? { ':gsi1pk': index.gsi1pk, ':gsi1sk': index.gsi1sk } : {}),
                },
              },
            };
          }),
          {
            Put: {
              TableName: T,
              Item: logItem({
                projectId: p.projectId,
                action: 'order_lapsed',
                message: p.reason,
                oldStatus: 'pending_payment',
                newStatus: 'archived',
                externalService: 'stripe',
                externalId: p.sessionId,
                triggeredBy: 'stripe',
                createdAt: now,
              }),
            },
          },
        ],
      }),
    );
    return 'released';
  } catch (err) {
    const failed = failedConditions(err);
    if (failed.includes(0)) return 'seen-before';
    if (failed.includes(1)) return 'not-awaiting-payment';
    if (failed.length > 0) return 'parts-changed';
    throw err;
  }
}
