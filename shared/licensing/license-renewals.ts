import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, isConditionFailure, table } from '../platform/table/db.js';
import { projectKeys } from '../projects/projects-table.js';
import type { LicenseChange } from './license-periods.js';

// Writes license changes from payments, each license in one transaction with its history entry,
// conditional on the license being as read: a replayed or concurrent event finds it changed and
// writes nothing (so no second history entry either).

/** Applies the changes; returns those that were written (the others had changed meanwhile). */
export async function applyLicenseChanges(
  projectId: string,
  changes: readonly LicenseChange[],
  by: string,
  reason: string,
  now = new Date(),
): Promise<LicenseChange[]> {
  const at = now.toISOString();
  const written: LicenseChange[] = [];
  for (const c of changes) {
    try {
      await db().send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table(),
                Key: projectKeys.license(projectId, c.plugin),
                UpdateExpression: 'SET #s = :to, expiresAt = :exp, updatedAt = :at',
                ConditionExpression:
                  c.from.expiresAt === null
                    ? '#s = :from AND attribute_type(expiresAt, :null)'
                    : '#s = :from AND expiresAt = :oldExp',
                ExpressionAttributeNames: { '#s': 'status' },
                ExpressionAttributeValues: {
                  ':to': c.to.status,
                  ':exp': c.to.expiresAt,
                  ':at': at,
                  ':from': c.from.status,
                  ...(c.from.expiresAt === null ? { ':null': 'NULL' } : { ':oldExp': c.from.expiresAt }),
                },
              },
            },
            {
              Put: {
                TableName: table(),
                Item: {
                  ...projectKeys.licenseHistory(projectId, c.plugin, at),
                  entity: 'LicenseHistory',
                  projectId,
                  plugin: c.plugin,
                  action: c.action,
                  oldStatus: c.from.status,
                  newStatus: c.to.status,
                  oldExpiresAt: c.from.expiresAt,
                  newExpiresAt: c.to.expiresAt,
                  triggeredBy: by,
                  reason,
                  createdAt: at,
                },
              },
            },
          ],
        }),
      );
      written.push(c);
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }
  return written;
}
