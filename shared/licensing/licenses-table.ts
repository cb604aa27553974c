import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, failedConditions, fromItem, type QueryInput, table } from '../platform/table/db.js';
import type { ProjectStatus } from '../projects/project-status.js';
import {
  type License,
  type LicenseHistoryEntry,
  logItem,
  type ProvisioningLogEntry,
  projectKeys,
} from '../projects/projects-table.js';
import type { PaymentMethod } from '../projects/schemas.js';
import type { LicenseTarget } from './license-changes.js';

// Licenses changed by hand (staff), by a paid invoice and by Stripe payments. The keys are the project item
// collection's (projects-table.ts: LICENSE#<plugin>, LICENSEHIST#<plugin>#<at>#<rand>, LOG#...).
// Access patterns:
//   a license, as it is now               GetItem pk=PROJECT#<id> sk=LICENSE#<plugin> (consistent)
//   a license's history, newest first     Query pk=PROJECT#<id> begins_with LICENSEHIST#<plugin>#, backwards
// Every change is one transaction: the license (condition: status and expiry as read), its history
// entry, the project (a condition on its state, or the update that goes with the change) and the
// project's log entry — so two concurrent requests for one change write one history entry.

/** A history entry with the expiry change and the invoice it was paid by (older entries lack them). */
export interface LicenseHistoryRecord extends LicenseHistoryEntry {
  oldExpiresAt?: string | null;
  newExpiresAt?: string | null;
  /** The invoice reference of a paid invoice. */
  reference?: string;
}

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];
type Log = Omit<ProvisioningLogEntry, 'projectId' | 'createdAt'>;

export async function readLicense(projectId: string, plugin: string): Promise<License | undefined> {
  const out = await db().send(
    new GetCommand({ TableName: table(), Key: projectKeys.license(projectId, plugin), ConsistentRead: true }),
  );
  return out.Item ? fromItem<License>(out.Item) : undefined;
}

/** The history of one license, newest first (for queryPage, which signs its cursors). */
export const licenseHistoryQuery = (projectId: string, plugin: string): QueryInput => ({
  KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
  ExpressionAttributeValues: { ':pk': `PROJECT#${projectId}`, ':p': `LICENSEHIST#${plugin}#` },
  ScanIndexForward: false,
});

/** What the project must still be for the change to hold (it was decided on what was read). */
export interface ProjectExpectation {
  /** The statuses it may be in. */
  status: readonly ProjectStatus[];
  /** No lifecycle request (suspend, resume, archive) may be open. */
  noLifecycleRequest?: boolean;
  paymentMethod?: PaymentMethod;
  /** Take this plugin out of `suspendedLicenses` (it must be in it): the resume leaves it be. */
  releaseFromSuspension?: string;
}

export interface LicenseChangeWrite {
  plugin: string;
  from: LicenseTarget;
  to: LicenseTarget;
  action: LicenseHistoryEntry['action'];
}

/** How a change ended: done, or which part was no longer as read (the marker: written before). */
export type LicenseWriteOutcome = 'done' | 'marker-exists' | 'project-changed' | 'license-changed';

/** One license change with its history entry and the project's log entry. */
export function changeLicense(
  projectId: string,
  change: LicenseChangeWrite & {
    project: ProjectExpectation;
    by: string;
    reason: string;
    log: Log;
  },
): Promise<LicenseWriteOutcome> {
  const now = new Date().toISOString();
  return transact([
    projectCondition(projectId, change.project, now),
    ...licenseWrite(projectId, change, { by: change.by, reason: change.reason }, now),
    logPut(projectId, change.log, now),
  ]);
}

/**
 * Licenses extended for a paid invoice, in one transaction with `marker` (the payment's once-only
 * item, put on condition it does not exist), each with its history entry naming the reference,
 * and the project's log entry.
 */
export function extendLicensesForPayment(
  projectId: string,
  payment: {
    marker: Record<string, unknown>;
    extensions: LicenseChangeWrite[];
    project: ProjectExpectation;
    by: string;
    reason: string;
    reference: string;
    log: Log;
    at: string;
  },
): Promise<LicenseWriteOutcome> {
  const { at } = payment;
  return transact(
    [
      { Put: { TableName: table(), Item: payment.marker, ConditionExpression: 'attribute_not_exists(pk)' } },
      projectCondition(projectId, payment.project, at),
      ...payment.extensions.flatMap((e) =>
        licenseWrite(
          projectId,
          e,
          { by: payment.by, reason: payment.reason, reference: payment.reference },
          at,
        ),
      ),
      logPut(projectId, payment.log, at),
    ],
    { withMarker: true },
  );
}

/**
 * License changes a payment brings (license-periods.ts), each license in its own transaction with
 * its history entry, conditional on the license as read: a replayed or concurrent event finds it
 * changed and writes nothing. Returns the changes written.
 */
export async function applyPaymentChanges<C extends LicenseChangeWrite>(
  projectId: string,
  changes: readonly C[],
  who: { by: string; reason: string },
  now = new Date(),
): Promise<C[]> {
  const written: C[] = [];
  for (const c of changes) {
    if ((await transact(licenseWrite(projectId, c, who, now.toISOString()))) === 'done') written.push(c);
  }
  return written;
}

async function transact(
  items: TransactItem[],
  opts: { withMarker?: boolean } = {},
): Promise<LicenseWriteOutcome> {
  try {
    await db().send(new TransactWriteCommand({ TransactItems: items }));
    return 'done';
  } catch (err) {
    const failed = failedConditions(err);
    const first = opts.withMarker ? 1 : 0;
    if (opts.withMarker && failed.includes(0)) return 'marker-exists';
    if (failed.includes(first)) return 'project-changed';
    if (failed.length > 0) return 'license-changed';
    throw err;
  }
}

function projectCondition(projectId: string, expect: ProjectExpectation, now: string): TransactItem {
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = {};
  expect.status.forEach((s, i) => {
    values[`:status${i}`] = s;
  });
  const conditions = [`#status IN (${expect.status.map((_, i) => `:status${i}`).join(', ')})`];
  if (expect.noLifecycleRequest) {
    names['#lr'] = 'lifecycleRequest';
    conditions.push('attribute_not_exists(#lr)');
  }
  if (expect.paymentMethod) {
    names['#pm'] = 'paymentMethod';
    values[':pm'] = expect.paymentMethod;
    conditions.push('#pm = :pm');
  }
  const Key = projectKeys.project(projectId);
  if (!expect.releaseFromSuspension) {
    return {
      ConditionCheck: {
        TableName: table(),
        Key,
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }
  names['#sl'] = 'suspendedLicenses';
  names['#plugin'] = expect.releaseFromSuspension;
  values[':now'] = now;
  conditions.push('attribute_exists(#sl.#plugin)');
  return {
    Update: {
      TableName: table(),
      Key,
      UpdateExpression: 'REMOVE #sl.#plugin SET updatedAt = :now',
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** The license from its state as read to the new one, and its history entry (also a takeover's, lifecycle-table.ts). */
export function licenseWrite(
  projectId: string,
  change: LicenseChangeWrite,
  who: { by: string; reason: string; reference?: string },
  now: string,
): TransactItem[] {
  const values: Record<string, unknown> = {
    ':from': change.from.status,
    ':to': change.to.status,
    ':newExpiry': change.to.expiresAt,
    ':now': now,
  };
  let expiryAsRead = 'attribute_type(#expiresAt, :null)';
  if (change.from.expiresAt === null) values[':null'] = 'NULL';
  else {
    values[':oldExpiry'] = change.from.expiresAt;
    expiryAsRead = '#expiresAt = :oldExpiry';
  }
  const history: LicenseHistoryRecord = {
    projectId,
    plugin: change.plugin,
    action: change.action,
    oldStatus: change.from.status,
    newStatus: change.to.status,
    oldExpiresAt: change.from.expiresAt,
    newExpiresAt: change.to.expiresAt,
    triggeredBy: who.by,
    reason: who.reason,
    ...(who.reference ? { reference: who.reference } : {}),
    createdAt: now,
  };
  return [
    {
      Update: {
        TableName: table(),
        Key: projectKeys.license(projectId, change.plugin),
        UpdateExpression: 'SET #status = :to, #expiresAt = :newExpiry, updatedAt = :now',
        ConditionExpression: `#status = :from AND ${expiryAsRead}`,
        ExpressionAttributeNames: { '#status': 'status', '#expiresAt': 'expiresAt' },
        ExpressionAttributeValues: values,
      },
    },
    {
      Put: {
        TableName: table(),
        Item: {
          ...projectKeys.licenseHistory(projectId, change.plugin, now),
          entity: 'LicenseHistory',
          ...history,
        },
      },
    },
  ];
}

const logPut = (projectId: string, log: Log, at: string): TransactItem => ({
  Put: { TableName: table(), Item: logItem({ ...log, projectId, createdAt: at }) },
});
