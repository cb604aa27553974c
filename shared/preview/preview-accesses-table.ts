import {
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  db,
  failedConditions,
  fromItem,
  isConditionFailure,
  type QueryInput,
  table,
} from '../platform/table/db.js';
import { logItem, type ProvisioningLogEntry } from '../projects/projects-table.js';
import {
  LOCK_MAX_FAILURES,
  LOCK_WINDOW_MS,
  type LockCounter,
  lockCutoff,
  lockedUntil,
} from './preview-rules.js';

// Preview accesses of a project, their lookup markers and the project's brute-force lock counter.
// Access patterns (keys):
//   accesses of a project (staff list)  pk=PROJECT#<id>  sk=PREVIEWACCESS#<accessId>   Query, paged
//   access by magic-link token          pk=PREVIEWTOKEN#<sha256(token)>  sk=PREVIEWTOKEN → { projectId, accessId }
//   access by code                      pk=PREVIEWCODE#<hmac(projectId:code)>  sk=PREVIEWCODE → { projectId, accessId }
//   wrong tries of a project            pk=PROJECT#<id>  sk=PREVIEWLOCK → { windowStartsAt, failures }
// Markers expire with their access (ttl) and go at once when it is revoked; an access item stays
// listed for 30 days after its expiry (ttl), the lock counter until its window is over.

/** How long an expired access stays in the staff list. */
const LISTED_AFTER_EXPIRY_S = 30 * 24 * 3600;

export interface PreviewAccess {
  projectId: string;
  accessId: string;
  email?: string;
  name?: string;
  expiresAt: string;
  singleUse: boolean;
  uses: number;
  lastUsedAt?: string;
  revokedAt?: string;
  revokedBy?: string;
  tokenHash: string;
  codeHash: string;
  createdBy: string;
  createdAt: string;
}

export const previewKeys = {
  access: (projectId: string, accessId: string) => ({
    pk: `PROJECT#${projectId}`,
    sk: `PREVIEWACCESS#${accessId}`,
  }),
  token: (hash: string) => ({ pk: `PREVIEWTOKEN#${hash}`, sk: 'PREVIEWTOKEN' }),
  code: (hash: string) => ({ pk: `PREVIEWCODE#${hash}`, sk: 'PREVIEWCODE' }),
  lock: (projectId: string) => ({ pk: `PROJECT#${projectId}`, sk: 'PREVIEWLOCK' }),
};

const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

type LogEntry = Omit<ProvisioningLogEntry, 'projectId' | 'createdAt'>;

export type StoreAccessOutcome = 'stored' | 'token-taken' | 'code-taken';

/**
 * The access, its two markers and the log entry in one transaction. A marker that exists already
 * (a code another live access of any project hashed to the same value; a token, never in practice)
 * cancels it all: the caller draws again.
 */
export async function storePreviewAccess(a: PreviewAccess, log: LogEntry): Promise<StoreAccessOutcome> {
  const ttl = epochSeconds(a.expiresAt);
  const marker = { entity: 'PreviewMarker', projectId: a.projectId, accessId: a.accessId, ttl };
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table(),
              Item: {
                ...previewKeys.access(a.projectId, a.accessId),
                entity: 'PreviewAccess',
                ...a,
                ttl: ttl + LISTED_AFTER_EXPIRY_S,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: table(),
              Item: { ...previewKeys.token(a.tokenHash), ...marker },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: table(),
              Item: { ...previewKeys.code(a.codeHash), ...marker },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: table(),
              Item: logItem({ ...log, projectId: a.projectId, createdAt: a.createdAt }),
            },
          },
        ],
      }),
    );
    return 'stored';
  } catch (err) {
    const failed = failedConditions(err);
    if (failed.includes(2)) return 'code-taken';
    if (failed.includes(1) || failed.includes(0)) return 'token-taken';
    throw err;
  }
}

export async function getPreviewAccess(
  projectId: string,
  accessId: string,
): Promise<PreviewAccess | undefined> {
  const out = await db().send(
    new GetCommand({
      TableName: table(),
      Key: previewKeys.access(projectId, accessId),
      ConsistentRead: true,
    }),
  );
  return out.Item ? withoutTtl(fromItem<PreviewAccess & { ttl?: number }>(out.Item)) : undefined;
}

/** The project's accesses (staff list) in access-id order, for queryPage (which signs its cursors). */
export function previewAccessesQuery(projectId: string): QueryInput {
  return {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
    ExpressionAttributeValues: { ':pk': `PROJECT#${projectId}`, ':p': 'PREVIEWACCESS#' },
  };
}

export function withoutTtl(a: PreviewAccess & { ttl?: number }): PreviewAccess {
  const { ttl: _, ...rest } = a;
  return rest;
}

export interface MarkerHit {
  projectId: string;
  accessId: string;
}

async function findMarker(key: { pk: string; sk: string }): Promise<MarkerHit | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: key }));
  if (!out.Item) return undefined;
  return { projectId: out.Item.projectId as string, accessId: out.Item.accessId as string };
}

export const findAccessByTokenHash = (hash: string) => findMarker(previewKeys.token(hash));
export const findAccessByCodeHash = (hash: string) => findMarker(previewKeys.code(hash));

/**
 * Counts one use, on condition the access still opens the preview: not revoked, not expired, and a
 * single-use one not used yet. Of concurrent uses of a single-use access exactly one gets 'counted'.
 */
export async function countPreviewUse(
  projectId: string,
  accessId: string,
  now: Date,
): Promise<PreviewAccess | undefined> {
  try {
    const out = await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: previewKeys.access(projectId, accessId),
        UpdateExpression: 'SET uses = uses + :one, lastUsedAt = :now',
        ConditionExpression:
          'attribute_exists(pk) AND attribute_not_exists(revokedAt) AND expiresAt > :now AND (singleUse = :false OR uses = :zero)',
        ExpressionAttributeValues: { ':one': 1, ':zero': 0, ':false': false, ':now': now.toISOString() },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return withoutTtl(fromItem<PreviewAccess & { ttl?: number }>(out.Attributes ?? {}));
  } catch (err) {
    if (isConditionFailure(err)) return undefined;
    throw err;
  }
}

export type RevokeOutcome = 'revoked' | 'already-revoked' | 'not-found';

/** Marks the access revoked and deletes its markers, with the log entry; a repeat changes nothing. */
export async function revokePreviewAccess(
  projectId: string,
  accessId: string,
  by: string,
  now: Date,
  log: LogEntry,
): Promise<RevokeOutcome> {
  const access = await getPreviewAccess(projectId, accessId);
  if (!access) return 'not-found';
  if (access.revokedAt) return 'already-revoked';
  const at = now.toISOString();
  const items: TransactWriteCommandInput['TransactItems'] = [
    {
      Update: {
        TableName: table(),
        Key: previewKeys.access(projectId, accessId),
        UpdateExpression: 'SET revokedAt = :at, revokedBy = :by',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
        ExpressionAttributeValues: { ':at': at, ':by': by },
      },
    },
    { Delete: { TableName: table(), Key: previewKeys.token(access.tokenHash) } },
    { Delete: { TableName: table(), Key: previewKeys.code(access.codeHash) } },
    { Put: { TableName: table(), Item: logItem({ ...log, projectId, createdAt: at }) } },
  ];
  try {
    await db().send(new TransactWriteCommand({ TransactItems: items }));
    return 'revoked';
  } catch (err) {
    // A concurrent revoke won: the same outcome for the caller.
    if (failedConditions(err).includes(0)) return 'already-revoked';
    throw err;
  }
}

// --- The brute-force lock -------------------------------------------------------------------

export async function getLockCounter(projectId: string): Promise<LockCounter | undefined> {
  const out = await db().send(
    new GetCommand({ TableName: table(), Key: previewKeys.lock(projectId), ConsistentRead: true }),
  );
  if (!out.Item) return undefined;
  return { windowStartsAt: out.Item.windowStartsAt as string, failures: out.Item.failures as number };
}

export type TryClaim = { claimed: true; windowStartsAt: string } | { claimed: false; lockedUntil: string };

/**
 * Counts a try before it is checked, so concurrent guesses cannot get past the limit: at most
 * LOCK_MAX_FAILURES tries are counted per window. A try that turns out right is given back
 * (releaseTry). The window starts with the first try counted while the count is 0, and ends
 * LOCK_WINDOW_MS later; until then, a full count refuses every try.
 */
export async function claimTry(projectId: string, now: Date): Promise<TryClaim> {
  const at = now.toISOString();
  const cutoff = lockCutoff(now);
  const ttl = Math.ceil((now.getTime() + LOCK_WINDOW_MS) / 1000) + 60;
  for (let attempt = 0; attempt < 5; attempt++) {
    // A current window with room: count the try in it.
    try {
      const out = await db().send(
        new UpdateCommand({
          TableName: table(),
          Key: previewKeys.lock(projectId),
          UpdateExpression: 'ADD failures :one',
          ConditionExpression: 'windowStartsAt > :cutoff AND failures > :zero AND failures < :max',
          ExpressionAttributeValues: { ':one': 1, ':zero': 0, ':cutoff': cutoff, ':max': LOCK_MAX_FAILURES },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { claimed: true, windowStartsAt: out.Attributes?.windowStartsAt as string };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
    // No counter, its window over, or nothing counted: a new window starts with this try.
    try {
      await db().send(
        new PutCommand({
          TableName: table(),
          Item: {
            ...previewKeys.lock(projectId),
            entity: 'PreviewLock',
            windowStartsAt: at,
            failures: 1,
            ttl,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR windowStartsAt <= :cutoff OR failures <= :zero',
          ExpressionAttributeValues: { ':cutoff': cutoff, ':zero': 0 },
        }),
      );
      return { claimed: true, windowStartsAt: at };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
    // Neither: the count is full (locked), or a concurrent try changed it in between — look.
    const until = lockedUntil(await getLockCounter(projectId), now);
    if (until) return { claimed: false, lockedUntil: until };
  }
  // Contended beyond reason: treat as locked for now rather than let a try through uncounted.
  return { claimed: false, lockedUntil: new Date(now.getTime() + 1000).toISOString() };
}

/** Gives back a try that was right (in the window it was counted in; a new window owes nothing). */
export async function releaseTry(projectId: string, windowStartsAt: string): Promise<void> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: previewKeys.lock(projectId),
        UpdateExpression: 'ADD failures :minus',
        ConditionExpression: 'windowStartsAt = :w AND failures > :zero',
        ExpressionAttributeValues: { ':minus': -1, ':w': windowStartsAt, ':zero': 0 },
      }),
    );
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
  }
}
