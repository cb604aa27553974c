import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, isConditionFailure, table } from '../platform/table/db.js';
import type { InProgressStatus, ProjectStatus } from '../projects/project-status.js';
import { logItem, type ProvisioningLogEntry, projectKeys } from '../projects/projects-table.js';

// The project's current execution and the status events applied to it. EventBridge delivers events
// at least once and in any order; each write states what the project looked like when the event
// was judged (status, current execution, sequence of the last applied event), so a duplicate, a
// stale or an overtaken event changes nothing, and a concurrent writer makes us judge again.
// Fields on the project item: executionArn, lastEventSeq (see shared/provisioning/execution-attempts.ts).

export type EventOutcome = 'applied' | 'changed-meanwhile';

type LogFields = Omit<ProvisioningLogEntry, 'projectId' | 'createdAt' | 'triggeredBy'>;

/** What the event handler saw when it decided; the write only happens if that still holds. */
export interface JudgedAgainst {
  projectId: string;
  status: ProjectStatus;
  /** The project's execution when read (undefined: none recorded yet). */
  executionArn: string | undefined;
  lastEventSeq: number | undefined;
}

/** The event's execution becomes (or stays) current, with the event's sequence. */
interface EventStamp {
  executionArn: string;
  seq: number;
}

/**
 * Makes `executionArn` the project's current execution, as of its event `seq` (default: its start):
 * events of other executions, and its own up to `seq`, are stale from then on. Never moves an
 * execution's sequence backwards.
 */
export async function setCurrentExecution(projectId: string, executionArn: string, seq = 0): Promise<void> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: projectKeys.project(projectId),
        UpdateExpression: 'SET executionArn = :arn, lastEventSeq = :seq, updatedAt = :now',
        ConditionExpression:
          'attribute_exists(pk) AND (attribute_not_exists(executionArn) OR executionArn <> :arn OR attribute_not_exists(lastEventSeq) OR lastEventSeq < :seq)',
        ExpressionAttributeValues: { ':arn': executionArn, ':seq': seq, ':now': new Date().toISOString() },
      }),
    );
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
  }
}

/** FAILED/TIMED_OUT/ABORTED: project → error (remembering where it was), retry count + 1, log. */
export function applyExecutionFailure(
  seen: JudgedAgainst,
  stamp: EventStamp,
  args: { reason: string; statusBeforeError: InProgressStatus | undefined; log: LogFields },
): Promise<EventOutcome> {
  return write(seen, stamp, {
    set: [
      '#st = :err',
      'gsi2pk = :g',
      'provisioningError = :reason',
      ...(args.statusBeforeError ? ['statusBeforeError = :before'] : []),
    ],
    add: 'provisioningRetryCount :one',
    values: {
      ':err': 'error',
      ':g': 'STATUS#error',
      ':reason': args.reason,
      ':one': 1,
      ...(args.statusBeforeError ? { ':before': args.statusBeforeError } : {}),
    },
    log: args.log,
  });
}

/** RUNNING after a redrive (console or API): project error → the in-progress status it failed in. */
export function applyExecutionRedriven(
  seen: JudgedAgainst,
  stamp: EventStamp,
  args: { resumeStatus: InProgressStatus; log: LogFields },
): Promise<EventOutcome> {
  return write(seen, stamp, {
    set: ['#st = :resume', 'gsi2pk = :g'],
    remove: ['provisioningError', 'statusBeforeError'],
    values: { ':resume': args.resumeStatus, ':g': `STATUS#${args.resumeStatus}` },
    log: args.log,
  });
}

/**
 * A project in progress with no execution working on it (the reconcile job found it): project →
 * error so staff see it and can retry. Only if nothing changed since it was judged.
 */
export function markStalled(
  seen: JudgedAgainst & { status: InProgressStatus },
  args: { reason: string; log: LogFields },
): Promise<EventOutcome> {
  return write(seen, null, {
    set: ['#st = :err', 'gsi2pk = :g', 'provisioningError = :reason', 'statusBeforeError = :before'],
    add: 'provisioningRetryCount :one',
    values: {
      ':err': 'error',
      ':g': 'STATUS#error',
      ':reason': args.reason,
      ':one': 1,
      ':before': seen.status,
    },
    log: args.log,
  });
}

/** An event with nothing to change still moves the sequence on, so older events stay stale. */
export function recordExecutionEvent(seen: JudgedAgainst, stamp: EventStamp): Promise<EventOutcome> {
  return write(seen, stamp, { set: [], values: {} });
}

async function write(
  seen: JudgedAgainst,
  stamp: EventStamp | null,
  change: {
    set: string[];
    add?: string;
    remove?: string[];
    values: Record<string, unknown>;
    log?: LogFields;
  },
): Promise<EventOutcome> {
  const now = new Date().toISOString();
  const values: Record<string, unknown> = {
    ...change.values,
    ':seen': seen.status,
    ':now': now,
    ...(stamp ? { ':arn': stamp.executionArn, ':seq': stamp.seq } : {}),
  };
  const conditions = ['#st = :seen'];
  if (seen.executionArn === undefined) conditions.push('attribute_not_exists(executionArn)');
  else {
    conditions.push('executionArn = :seenArn');
    values[':seenArn'] = seen.executionArn;
  }
  if (seen.lastEventSeq === undefined) conditions.push('attribute_not_exists(lastEventSeq)');
  else {
    conditions.push('lastEventSeq = :seenSeq');
    values[':seenSeq'] = seen.lastEventSeq;
  }
  const update = {
    TableName: table(),
    Key: projectKeys.project(seen.projectId),
    UpdateExpression: [
      `SET ${[...(stamp ? ['executionArn = :arn', 'lastEventSeq = :seq'] : []), 'updatedAt = :now', ...change.set].join(', ')}`,
      change.add ? `ADD ${change.add}` : '',
      change.remove?.length ? `REMOVE ${change.remove.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(' '),
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: { '#st': 'status' },
    ExpressionAttributeValues: values,
  };
  try {
    if (!change.log) await db().send(new UpdateCommand(update));
    else {
      const log = logItem({
        ...change.log,
        projectId: seen.projectId,
        triggeredBy: 'system',
        createdAt: now,
      });
      await db().send(
        new TransactWriteCommand({
          TransactItems: [{ Update: update }, { Put: { TableName: table(), Item: log } }],
        }),
      );
    }
    return 'applied';
  } catch (err) {
    if (isConditionFailure(err)) return 'changed-meanwhile';
    throw err;
  }
}
