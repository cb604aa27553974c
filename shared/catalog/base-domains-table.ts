import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, isConditionFailure, table } from '../platform/table/db.js';
import type { BaseDomainWrite } from './base-domain-rules.js';
import { type BaseDomain, catalogKeys } from './catalog-table.js';

// Writes of base domains (admin). Reads are catalog-table.ts's (list / get base domains). A change
// and the old default's loss of the flag are one transaction, each conditional on what was read,
// so two concurrent switches never leave two defaults (or none): the later one fails.

/** False when an item changed meanwhile (the caller reads again and answers 409). */
export async function writeBaseDomains(
  writes: BaseDomainWrite[],
  added: Pick<BaseDomain, 'displayName' | 'sortOrder'> | undefined,
  by: string,
): Promise<boolean> {
  const now = new Date().toISOString();
  const items = writes.map((w) => {
    if (w.expect === 'absent') {
      return {
        Put: {
          TableName: table(),
          Item: {
            ...catalogKeys.baseDomain(w.domain),
            entity: 'BaseDomain',
            domain: w.domain,
            displayName: added?.displayName ?? w.domain,
            sortOrder: added?.sortOrder ?? 100,
            isActive: w.set.isActive ?? true,
            isDefault: w.set.isDefault ?? false,
            updatedAt: now,
            updatedBy: by,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      };
    }
    const values: Record<string, unknown> = { ':now': now, ':by': by };
    const sets = ['updatedAt = :now', 'updatedBy = :by'];
    for (const [k, v] of Object.entries(w.set)) {
      sets.push(`${k} = :set_${k}`);
      values[`:set_${k}`] = v;
    }
    const conditions = ['attribute_exists(pk)'];
    for (const [k, v] of Object.entries(w.expect)) {
      conditions.push(`${k} = :was_${k}`);
      values[`:was_${k}`] = v;
    }
    return {
      Update: {
        TableName: table(),
        Key: catalogKeys.baseDomain(w.domain),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeValues: values,
      },
    };
  });
  try {
    await db().send(new TransactWriteCommand({ TransactItems: items }));
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}
