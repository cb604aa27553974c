import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { InProgressStatus } from '../model/project-status.js';
import { db, failedConditions, table } from './db.js';
import { logItem, type ProvisioningLogEntry, projectKeys } from './projects.js';

// EventBridge delivers Step Functions status events at least once; each (execution, redriveCount,
// status) is applied once via a marker written in the same transaction as its effect.
// Access pattern (keys):
//   handled event marker   pk=EXECEVENT#<executionArn>  sk=<redriveCount>#<status>   (TTL 30 days)

const TTL_SECONDS = 30 * 24 * 3600;

export const executionEventKeys = {
  marker: (arn: string, redriveCount: number, status: string) => ({
    pk: `EXECEVENT#${arn}`,
    sk: `${redriveCount}#${status}`,
  }),
};

export type EventOutcome = 'applied' | 'duplicate' | 'not-applicable';

type LogFields = Omit<ProvisioningLogEntry, 'projectId' | 'createdAt' | 'triggeredBy'>;

/** FAILED/TIMED_OUT/ABORTED: project → error, remembering where it was; retry count + 1; log. */
export function applyExecutionFailure(args: {
  projectId: string;
  executionArn: string;
  redriveCount: number;
  status: string;
  reason: string;
  failedIn: InProgressStatus[];
  log: LogFields;
}): Promise<EventOutcome> {
  const values: Record<string, unknown> = {
    ':err': 'error',
    ':reason': args.reason,
    ':one': 1,
    ':g': 'STATUS#error',
  };
  args.failedIn.forEach((s, i) => {
    values[`:s${i}`] = s;
  });
  return applyOnce(args, args.status, {
    UpdateExpression:
      'SET statusBeforeError = #st, #st = :err, provisioningError = :reason, gsi2pk = :g, updatedAt = :now ADD provisioningRetryCount :one',
    ConditionExpression: `#st IN (${args.failedIn.map((_, i) => `:s${i}`).join(', ')})`,
    values,
  });
}

/** RUNNING after a redrive (e.g. from the console): project error → its in-progress status; log. */
export function applyExecutionRedriven(args: {
  projectId: string;
  executionArn: string;
  redriveCount: number;
  resumeStatus: InProgressStatus;
  log: LogFields;
}): Promise<EventOutcome> {
  return applyOnce(args, 'RUNNING', {
    UpdateExpression:
      'SET #st = :resume, gsi2pk = :g, updatedAt = :now REMOVE provisioningError, statusBeforeError',
    ConditionExpression: '#st = :err AND statusBeforeError = :resume',
    values: { ':err': 'error', ':resume': args.resumeStatus, ':g': `STATUS#${args.resumeStatus}` },
  });
}

/** Marker, project update and log entry in one transaction: an event changes things at most once. */
async function applyOnce(
  args: { projectId: string; executionArn: string; redriveCount: number; log: LogFields },
  status: string,
  update: { UpdateExpression: string; ConditionExpression: string; values: Record<string, unknown> },
): Promise<EventOutcome> {
  const now = new Date().toISOString();
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table(),
              Item: {
                ...executionEventKeys.marker(args.executionArn, args.redriveCount, status),
                entity: 'ExecutionEvent',
                ttl: Math.floor(Date.now() / 1000) + TTL_SECONDS,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: table(),
              Key: projectKeys.project(args.projectId),
              UpdateExpression: update.UpdateExpression,
              ConditionExpression: update.ConditionExpression,
              ExpressionAttributeNames: { '#st': 'status' },
              ExpressionAttributeValues: { ...update.values, ':now': now },
            },
          },
          {
            Put: {
              TableName: table(),
              Item: logItem({
                ...args.log,
                projectId: args.projectId,
                triggeredBy: 'system',
                createdAt: now,
              }),
            },
          },
        ],
      }),
    );
    return 'applied';
  } catch (err) {
    const failed = failedConditions(err);
    if (failed.includes(0)) return 'duplicate';
    if (failed.includes(1)) return 'not-applicable';
    throw err;
  }
}
