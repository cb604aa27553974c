import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LicenseStatus } from '../licensing/license.js';
import { licenseWrite } from '../licensing/licenses-table.js';
import { db, failedConditions, isConditionFailure, table } from '../platform/table/db.js';
import { isCustomDomain } from '../projects/domain-status.js';
import type { ProjectStatus } from '../projects/project-status.js';
import {
  type LicenseHistoryEntry,
  type LifecycleAction,
  type LifecycleRequest,
  logItem,
  type ProjectDomain,
  type ProvisioningLogEntry,
  projectKeys,
} from '../projects/projects-table.js';
import { releaseServerSlotItem, serverProjectDeleteItem } from '../servers/servers-table.js';

// The writes of the lifecycle flows, each one transaction with its log entry. Every one states its
// expectations as conditions: the project's status, that the request is still the one this
// execution carries out (lifecycleRequest.executionArn), and each license's and domain's status as
// read — so a rerun, a redrive or a concurrent duplicate changes nothing twice, and a stale
// execution changes nothing at all. No new keys or reads: the project's item collection
// (projects-table.ts) and the server's slot counter (servers-table.ts).

type Log = Omit<ProvisioningLogEntry, 'projectId' | 'createdAt'>;
type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

/** How a lifecycle transaction ended: the project (item 0) or one of its parts was not as read. */
export type LifecycleWrite = 'done' | 'project-changed' | 'parts-changed';

async function transact(items: TransactItem[]): Promise<LifecycleWrite> {
  try {
    await db().send(new TransactWriteCommand({ TransactItems: items }));
    return 'done';
  } catch (err) {
    const failed = failedConditions(err);
    if (failed.includes(0)) return 'project-changed';
    if (failed.length > 0) return 'parts-changed';
    throw err;
  }
}

const logPut = (projectId: string, log: Log, at: string): TransactItem => ({
  Put: { TableName: table(), Item: logItem({ ...log, projectId, createdAt: at }) },
});

/**
 * Opens a lifecycle request: the project's run counter moves on from `previousRuns` and the request
 * is recorded, on condition the status still allows it and no other request is open (or exactly
 * the one being replaced). False when the project changed meanwhile.
 */
export async function openLifecycleRequest(
  projectId: string,
  change: {
    request: LifecycleRequest;
    previousRuns: number;
    /** The execution ARN of the open request this one replaces (its execution no longer runs). */
    replacing?: string;
    from: readonly ProjectStatus[];
    log: Log;
  },
): Promise<boolean> {
  const now = change.request.requestedAt;
  const values: Record<string, unknown> = {
    ':req': change.request,
    ':run': change.request.run,
    ':prev': change.previousRuns,
    ':now': now,
  };
  change.from.forEach((s, i) => {
    values[`:from${i}`] = s;
  });
  const runs = change.previousRuns === 0 ? '(attribute_not_exists(#runs) OR #runs = :prev)' : '#runs = :prev';
  let open = 'attribute_not_exists(#lr)';
  if (change.replacing) {
    values[':replacing'] = change.replacing;
    open = '#lr.#arn = :replacing';
  }
  const outcome = await transact([
    {
      Update: {
        TableName: table(),
        Key: projectKeys.project(projectId),
        UpdateExpression: 'SET #lr = :req, #runs = :run, updatedAt = :now',
        ConditionExpression: `attribute_exists(pk) AND #status IN (${change.from.map((_, i) => `:from${i}`).join(', ')}) AND ${runs} AND ${open}`,
        ExpressionAttributeNames: {
          '#lr': 'lifecycleRequest',
          '#runs': 'lifecycleRuns',
          '#status': 'status',
          ...(change.replacing ? { '#arn': 'executionArn' } : {}),
        },
        ExpressionAttributeValues: values,
      },
    },
    logPut(projectId, change.log, now),
  ]);
  return outcome === 'done';
}

/** Sets (or, with undefined, removes) fields of the open request, while it is `executionArn`'s. */
export async function updateLifecycleRequest(
  projectId: string,
  executionArn: string,
  fields: Partial<Pick<LifecycleRequest, 'startDeploymentUuid' | 'ownerMailedAt' | 'executionArn' | 'run'>>,
  opts: { runs?: number } = {},
): Promise<boolean> {
  const names: Record<string, string> = { '#lr': 'lifecycleRequest', '#current': 'executionArn' };
  const values: Record<string, unknown> = { ':current': executionArn, ':now': new Date().toISOString() };
  const sets = ['updatedAt = :now'];
  const removes: string[] = [];
  for (const [k, v] of Object.entries(fields)) {
    names[`#${k}`] = k;
    if (v === undefined) removes.push(`#lr.#${k}`);
    else {
      values[`:${k}`] = v;
      sets.push(`#lr.#${k} = :${k}`);
    }
  }
  if (opts.runs !== undefined) {
    names['#runs'] = 'lifecycleRuns';
    values[':runs'] = opts.runs;
    sets.push('#runs = :runs');
  }
  try {
    await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: projectKeys.project(projectId),
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: '#lr.#current = :current',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

/** The project's part of a lifecycle transaction: its status move, on condition of the request. */
function projectMove(
  projectId: string,
  executionArn: string,
  move: {
    from: readonly ProjectStatus[];
    to: ProjectStatus;
    set: Record<string, unknown>;
    remove?: string[];
    /** Archive: the server whose slot the project holds (the project's serverId must still be it). */
    serverId?: string | undefined;
  },
  now: string,
): TransactItem {
  const names: Record<string, string> = {
    '#status': 'status',
    '#lr': 'lifecycleRequest',
    '#arn': 'executionArn',
  };
  const values: Record<string, unknown> = {
    ':to': move.to,
    ':gsi2pk': `STATUS#${move.to}`,
    ':now': now,
    ':arn': executionArn,
  };
  const sets = ['#status = :to', 'gsi2pk = :gsi2pk', 'updatedAt = :now'];
  for (const [k, v] of Object.entries(move.set)) {
    names[`#${k}`] = k;
    values[`:${k}`] = v;
    sets.push(`#${k} = :${k}`);
  }
  const removes = (move.remove ?? []).map((k) => {
    names[`#${k}`] = k;
    return `#${k}`;
  });
  move.from.forEach((s, i) => {
    values[`:from${i}`] = s;
  });
  let condition = `#status IN (${move.from.map((_, i) => `:from${i}`).join(', ')}) AND #lr.#arn = :arn`;
  if (move.serverId) {
    names['#serverId'] = 'serverId';
    values[':serverId'] = move.serverId;
    condition += ' AND #serverId = :serverId';
  }
  return {
    Update: {
      TableName: table(),
      Key: projectKeys.project(projectId),
      UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** A license from one status to another (on condition it is still in the first) and its history entry. */
function licenseChange(
  projectId: string,
  change: {
    plugin: string;
    from: LicenseStatus;
    to: LicenseStatus;
    action: LicenseHistoryEntry['action'];
    by: string;
    reason?: string | undefined;
  },
  now: string,
): TransactItem[] {
  const history: LicenseHistoryEntry = {
    projectId,
    plugin: change.plugin,
    action: change.action,
    oldStatus: change.from,
    newStatus: change.to,
    triggeredBy: change.by,
    ...(change.reason ? { reason: change.reason } : {}),
    createdAt: now,
  };
  return [
    {
      Update: {
        TableName: table(),
        Key: projectKeys.license(projectId, change.plugin),
        UpdateExpression: 'SET #status = :to',
        ConditionExpression: '#status = :from',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':to': change.to, ':from': change.from },
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

export interface LifecycleChange {
  executionArn: string;
  by: string;
  reason?: string | undefined;
  log: Log;
}

/** Project active → suspended with the reason, these licenses suspended (each with history), log. */
export function suspendProjectAndLicenses(
  projectId: string,
  change: LifecycleChange & { licenses: { plugin: string; from: 'active' | 'trial' }[] },
): Promise<LifecycleWrite> {
  const now = new Date().toISOString();
  return transact([
    projectMove(
      projectId,
      change.executionArn,
      {
        from: ['active'],
        to: 'suspended',
        set: {
          suspensionReason: change.reason ?? '',
          suspendedAt: now,
          suspendedBy: change.by,
          suspendedLicenses: Object.fromEntries(change.licenses.map((l) => [l.plugin, l.from])),
        },
      },
      now,
    ),
    ...change.licenses.flatMap((l) =>
      licenseChange(
        projectId,
        { ...l, to: 'suspended', action: 'suspended', by: change.by, reason: change.reason },
        now,
      ),
    ),
    logPut(projectId, change.log, now),
  ]);
}

/** Project suspended → active, these licenses back to their earlier status (each with history), log. */
export function resumeProjectAndLicenses(
  projectId: string,
  change: LifecycleChange & { licenses: { plugin: string; to: 'active' | 'trial' }[] },
): Promise<LifecycleWrite> {
  const now = new Date().toISOString();
  return transact([
    projectMove(
      projectId,
      change.executionArn,
      {
        from: ['suspended'],
        to: 'active',
        set: {},
        remove: ['suspensionReason', 'suspendedAt', 'suspendedBy', 'suspendedLicenses'],
      },
      now,
    ),
    ...change.licenses.flatMap((l) =>
      licenseChange(
        projectId,
        {
          plugin: l.plugin,
          from: 'suspended',
          to: l.to,
          action: 'activated',
          by: change.by,
          reason: change.reason,
        },
        now,
      ),
    ),
    logPut(projectId, change.log, now),
  ]);
}

/**
 * A demo taken over (shared/takeover/): the project gets its new owner (and the owner index with
 * it), billing contact and payment method, stops being a demo and drops preview protection; each
 * license starts its paid period (status and expiry, with history); log. On condition it is still
 * a live demo and the request is this execution's.
 */
export function takeOverProjectAndLicenses(
  projectId: string,
  change: LifecycleChange & {
    /** The new owner's fields (with the owner index keys). */
    set: Record<string, unknown>;
    licenses: {
      plugin: string;
      from: LicenseStatus;
      fromExpiresAt: string | null;
      to: LicenseStatus;
      expiresAt: string | null;
    }[];
  },
): Promise<LifecycleWrite> {
  const now = new Date().toISOString();
  const move = projectMove(
    projectId,
    change.executionArn,
    {
      from: ['active'],
      to: 'active',
      set: { ...change.set, isDemo: false, previewProtection: false, takenOverAt: now },
      remove: ['pendingTakeover'],
    },
    now,
  );
  const update = move.Update!;
  update.ConditionExpression += ' AND #isDemoNow = :demo';
  update.ExpressionAttributeNames = { ...update.ExpressionAttributeNames, '#isDemoNow': 'isDemo' };
  update.ExpressionAttributeValues = { ...update.ExpressionAttributeValues, ':demo': true };
  return transact([
    move,
    ...change.licenses.flatMap((l) =>
      licenseWrite(
        projectId,
        {
          plugin: l.plugin,
          from: { status: l.from, expiresAt: l.fromExpiresAt },
          to: { status: l.to, expiresAt: l.expiresAt },
          action: 'activated',
        },
        { by: change.by, reason: change.reason ?? '' },
        now,
      ),
    ),
    logPut(projectId, change.log, now),
  ]);
}

/**
 * Project → archived with the reason; its server slot freed (serverId removed, the server's count
 * down by one, in the same transaction); licenses cancelled (each with history); the domains
 * marked removed (their markers stay: data kept); log.
 */
export function archiveProjectAndParts(
  projectId: string,
  change: LifecycleChange & {
    from: readonly ProjectStatus[];
    serverId?: string | undefined;
    keptDomains: string[];
    licenses: { plugin: string; from: LicenseStatus }[];
    domains: ProjectDomain[];
  },
): Promise<LifecycleWrite> {
  const now = new Date().toISOString();
  return transact([
    projectMove(
      projectId,
      change.executionArn,
      {
        from: change.from,
        to: 'archived',
        set: {
          archiveReason: change.reason ?? '',
          archivedAt: now,
          archivedBy: change.by,
          keptDomains: change.keptDomains,
        },
        remove: change.serverId ? ['serverId'] : [],
        serverId: change.serverId,
      },
      now,
    ),
    ...(change.serverId
      ? [releaseServerSlotItem(change.serverId, now), serverProjectDeleteItem(change.serverId, projectId)]
      : []),
    ...change.licenses.flatMap((l) =>
      licenseChange(
        projectId,
        { ...l, to: 'cancelled', action: 'cancelled', by: change.by, reason: change.reason },
        now,
      ),
    ),
    ...change.domains.map((d) => domainRemoved(projectId, d, now)),
    logPut(projectId, change.log, now),
  ]);
}

function domainRemoved(projectId: string, d: ProjectDomain, now: string): TransactItem {
  const index = isCustomDomain(d) ? projectKeys.domainStatusIndex('removed', d.domain) : undefined;
  return {
    Update: {
      TableName: table(),
      Key: projectKeys.domain(projectId, d.domain),
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
}

/**
 * Closes the request once its execution is done: it becomes `lastLifecycle`, and a new request may
 * be opened. On condition it is still this execution's; false when it is not (closed already).
 */
export async function closeLifecycleRequest(
  projectId: string,
  done: { action: LifecycleAction; executionArn: string; log: Log },
): Promise<boolean> {
  const now = new Date().toISOString();
  const outcome = await transact([
    {
      Update: {
        TableName: table(),
        Key: projectKeys.project(projectId),
        UpdateExpression: 'SET #last = :last, updatedAt = :now REMOVE #lr',
        ConditionExpression: '#lr.#arn = :arn',
        ExpressionAttributeNames: {
          '#lr': 'lifecycleRequest',
          '#last': 'lastLifecycle',
          '#arn': 'executionArn',
        },
        ExpressionAttributeValues: {
          ':arn': done.executionArn,
          ':now': now,
          ':last': { action: done.action, executionArn: done.executionArn, completedAt: now },
        },
      },
    },
    logPut(projectId, done.log, now),
  ]);
  return outcome === 'done';
}
