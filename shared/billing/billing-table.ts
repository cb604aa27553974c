import { GetCommand, QueryCommand, type QueryCommandOutput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, fromItem, isConditionFailure, table } from '../platform/table/db.js';
import type { BillingState, Dunning } from './billing-rules.js';

// A project's billing state (billing-rules.ts BillingState) as one item beside the project. Every
// write bumps `version`; the next due time (the sparse BILLINGDUE index the daily job reads) is set
// only for the version it was computed from, so a concurrent change is never overwritten by a due
// time computed before it. Once-only mails are claimed by conditional writes before sending.
// Access patterns (keys):
//   billing of a project         pk=PROJECT#<id>  sk=BILLING
//   billing due by a time (job)  GSI2 gsi2pk=BILLINGDUE  gsi2sk=<dueAt ISO>#<projectId>  (sparse)

const key = (projectId: string) => ({ pk: `PROJECT#${projectId}`, sk: 'BILLING' });
const DUE = 'BILLINGDUE';

export interface BillingRecord extends BillingState {
  projectId: string;
  version: number;
  dueAt?: string;
}

export async function getBilling(projectId: string): Promise<BillingRecord | undefined> {
  const out = await db().send(
    new GetCommand({ TableName: table(), Key: key(projectId), ConsistentRead: true }),
  );
  if (!out.Item) return undefined;
  const record = fromItem<BillingRecord & { trialRemindersSent?: Set<number> | number[] }>(out.Item);
  return { ...record, trialRemindersSent: [...(record.trialRemindersSent ?? [])] };
}

/** The BILLING item of a newly paid order, as a transaction Put (trial and subscription known then). */
export function newBillingItem(
  projectId: string,
  state: BillingState,
  dueAt: Date | null,
): Record<string, unknown> {
  return {
    ...key(projectId),
    entity: 'Billing',
    projectId,
    ...state,
    version: 1,
    ...(dueAt ? dueIndex(projectId, dueAt) : {}),
  };
}

const dueIndex = (projectId: string, at: Date) => ({
  dueAt: at.toISOString(),
  gsi2pk: DUE,
  gsi2sk: `${at.toISOString()}#${projectId}`,
});

/**
 * One change to the billing item (created if missing), with the version bumped; false when
 * `condition` did not hold. Names and values of the caller's expressions start with `#c`/`:c`.
 */
async function change(
  projectId: string,
  set: string[],
  opts: {
    remove?: string[];
    add?: string;
    del?: string;
    condition?: string;
    names?: Record<string, string>;
    values?: Record<string, unknown>;
  } = {},
): Promise<boolean> {
  const clauses = [
    `SET ${['#v = if_not_exists(#v, :zero) + :one', '#pid = :pid', '#entity = :entity', ...set].join(', ')}`,
    opts.remove?.length ? `REMOVE ${opts.remove.join(', ')}` : '',
    opts.add ? `ADD ${opts.add}` : '',
    opts.del ? `DELETE ${opts.del}` : '',
  ];
  try {
    await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: key(projectId),
        UpdateExpression: clauses.filter(Boolean).join(' '),
        ...(opts.condition ? { ConditionExpression: opts.condition } : {}),
        ExpressionAttributeNames: {
          '#v': 'version',
          '#pid': 'projectId',
          '#entity': 'entity',
          ...opts.names,
        },
        ExpressionAttributeValues: {
          ':zero': 0,
          ':one': 1,
          ':pid': projectId,
          ':entity': 'Billing',
          ...opts.values,
        },
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

/** A failed invoice starts dunning, unless one is being chased already (its grace stands). */
export const openDunning = (projectId: string, dunning: Dunning, subscriptionId: string) =>
  change(projectId, ['#d = :d', '#sub = :sub'], {
    condition: 'attribute_not_exists(#d)',
    names: { '#d': 'dunning', '#sub': 'subscriptionId' },
    values: { ':d': dunning, ':sub': subscriptionId },
  });

/** Paid: the chase ends (whichever invoice it was for: the subscription is paid up). */
export const closeDunning = (projectId: string) =>
  change(projectId, [], { remove: ['#d'], condition: 'attribute_exists(#d)', names: { '#d': 'dunning' } });

/** Claims the final warning of the invoice being chased; false when it was claimed before. */
export const claimFinalWarning = (projectId: string, invoiceId: string, at: Date) =>
  change(projectId, ['#d.#w = :at'], {
    condition: '#d.#inv = :inv AND attribute_not_exists(#d.#w)',
    names: { '#d': 'dunning', '#w': 'finalWarningSentAt', '#inv': 'invoiceId' },
    values: { ':at': at.toISOString(), ':inv': invoiceId },
  });

/** Gives a claim back when its mail could not be sent, so the next run sends it. */
export const releaseFinalWarning = (projectId: string, invoiceId: string) =>
  change(projectId, [], {
    remove: ['#d.#w'],
    condition: '#d.#inv = :inv',
    names: { '#d': 'dunning', '#w': 'finalWarningSentAt', '#inv': 'invoiceId' },
    values: { ':inv': invoiceId },
  });

/** Claims the trial reminder `daysBefore` (and marks `skipped` ones as past); false if sent before. */
export const claimTrialReminder = (projectId: string, daysBefore: number, skipped: number[]) =>
  change(projectId, [], {
    add: '#r :days',
    condition: 'NOT contains(#r, :d)',
    names: { '#r': 'trialRemindersSent' },
    values: { ':days': new Set([daysBefore, ...skipped]), ':d': daysBefore },
  });

export const releaseTrialReminder = (projectId: string, daysBefore: number) =>
  change(projectId, [], {
    del: '#r :days',
    names: { '#r': 'trialRemindersSent' },
    values: { ':days': new Set([daysBefore]) },
  });

export const settleTrial = (projectId: string, at: Date) =>
  change(projectId, ['#s = if_not_exists(#s, :at)'], {
    names: { '#s': 'trialSettledAt' },
    values: { ':at': at.toISOString() },
  });

/** Billing asked for the project's suspension: a later payment lifts it (a staff one it does not). */
export const markPaymentSuspension = (projectId: string, at: Date) =>
  change(projectId, ['#p = if_not_exists(#p, :at)'], {
    names: { '#p': 'paymentSuspendedAt' },
    values: { ':at': at.toISOString() },
  });

export const forgetPaymentSuspension = (projectId: string) =>
  change(projectId, [], { remove: ['#p'], names: { '#p': 'paymentSuspendedAt' } });

export const markSubscriptionEnded = (projectId: string, subscriptionId: string, at: Date) =>
  change(projectId, ['#e = if_not_exists(#e, :at)', '#sub = :sub'], {
    names: { '#e': 'subscriptionEndedAt', '#sub': 'subscriptionId' },
    values: { ':at': at.toISOString(), ':sub': subscriptionId },
  });

/**
 * Sets when billing next has something to do (null: nothing), for the version it was computed
 * from; false when the item changed since (the caller computes again).
 */
export async function scheduleBilling(
  projectId: string,
  version: number,
  dueAt: Date | null,
): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: key(projectId),
        UpdateExpression: dueAt
          ? 'SET dueAt = :due, gsi2pk = :pk, gsi2sk = :sk'
          : 'REMOVE dueAt, gsi2pk, gsi2sk',
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: {
          ':v': version,
          ...(dueAt
            ? { ':due': dueAt.toISOString(), ':pk': DUE, ':sk': `${dueAt.toISOString()}#${projectId}` }
            : {}),
        },
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

/** Projects whose billing is due at `now`, oldest first, a page at a time (the daily job). */
export async function* billingDue(now: Date): AsyncGenerator<string[]> {
  let start: Record<string, unknown> | undefined;
  do {
    const out: QueryCommandOutput = await db().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :now',
        ExpressionAttributeValues: { ':pk': DUE, ':now': `${now.toISOString()}#~` },
        ProjectionExpression: 'projectId',
        ExclusiveStartKey: start,
        Limit: 100,
      }),
    );
    yield (out.Items ?? []).map((i) => String(i.projectId));
    start = out.LastEvaluatedKey;
  } while (start);
}
