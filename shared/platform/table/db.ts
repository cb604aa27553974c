import { createHmac, timingSafeEqual } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { awsClientOptions } from '../aws-client-options.js';
import { defineConfig } from '../config.js';
import { ValidationError } from '../errors.js';

// The single table (docs/data-model.md lists every access pattern and its keys).

export const tableConfig = defineConfig('table', z.object({ TABLE_NAME: z.string().min(1) }));

let client: DynamoDBDocumentClient | undefined;

export function db(): DynamoDBDocumentClient {
  client ??= DynamoDBDocumentClient.from(new DynamoDBClient(awsClientOptions), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return client;
}

export const table = (): string => tableConfig().TABLE_NAME;

// Pagination cursors carry a table key, which the next query starts after. Clients must not
// choose that key (a forged one made DynamoDB fail, and it could start another owner's list),
// so cursors are signed: HMAC-SHA256 over the key and the query they belong to.

const cursorConfig = defineConfig('cursor', z.object({ CURSOR_SECRET_ARN: z.string().min(1) }));
const cursorSecretShape = z.object({ key: z.string().min(32) });

/** The signing key, from Secrets Manager once per cold start (docs/data-model.md, Pagination). */
const cursorSecret = async (): Promise<string> => {
  // Imported on use: every function bundles this module, but only the paging ones should load
  // the Secrets Manager client at init.
  const { readJsonSecret } = await import('../secrets.js');
  return (await readJsonSecret(cursorConfig().CURSOR_SECRET_ARN, cursorSecretShape)).key;
};

/** What makes two queries the same list: index, key condition, filter, names, values, direction. */
export function queryScope(input: QueryInput): string {
  return JSON.stringify([
    input.IndexName ?? null,
    input.KeyConditionExpression ?? null,
    input.FilterExpression ?? null,
    input.ExpressionAttributeNames ?? null,
    input.ExpressionAttributeValues ?? null,
    input.ScanIndexForward ?? true,
  ]);
}

const mac = (secret: string, scope: string, payload: string): Buffer =>
  createHmac('sha256', secret).update(scope).update('\n').update(payload).digest();

/** `<base64url key>.<base64url HMAC>`; null when there is no next page. */
export function encodeCursor(
  secret: string,
  scope: string,
  key: Record<string, unknown> | undefined,
): string | null {
  if (!key) return null;
  const payload = Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
  return `${payload}.${mac(secret, scope, payload).toString('base64url')}`;
}

/** The key a cursor carries, if we issued it for this very query; else a 400 naming `cursor`. */
export function decodeCursor(secret: string, scope: string, cursor: string): Record<string, unknown> {
  const [payload = '', signature = '', ...rest] = cursor.split('.');
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(secret, scope, payload);
  if (rest.length === 0 && given.length === expected.length && timingSafeEqual(given, expected)) {
    const value: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  }
  throw new ValidationError('The cursor is not one we issued for this list; start the list again.', [
    { path: 'cursor', message: 'invalid cursor' },
  ]);
}

/** An item as the domain sees it: without key attributes and the entity tag. */
export function fromItem<T>(item: Record<string, unknown>): T {
  const { pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, gsi2pk: _e, gsi2sk: _f, entity: _g, ...rest } = item;
  return rest as T;
}

type QueryInput = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey' | 'Limit'>;

/** Every item a query matches, following LastEvaluatedKey (for small, bounded collections). */
export async function queryAll<T>(input: QueryInput): Promise<T[]> {
  const items: T[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out: QueryCommandOutput = await db().send(
      new QueryCommand({ ...input, TableName: table(), ExclusiveStartKey: start }),
    );
    for (const it of out.Items ?? []) items.push(fromItem<T>(it));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** DynamoDB applies a filter after `Limit`: filtered queries read this many items at a time... */
const FILTERED_READ_BATCH = 100;
/** ...and at most this often per page (a sparse filter over a huge collection ends a page early). */
const MAX_READS_PER_PAGE = 10;

/**
 * One page of a query (with or without FilterExpression): `limit` items when that many remain, a
 * cursor only when more remain. The cursor is opaque to clients and valid only for this query.
 */
export async function queryPage<T>(input: QueryInput, limit: number, cursor?: string): Promise<Page<T>> {
  const scope = queryScope(input);
  let start = cursor ? decodeCursor(await cursorSecret(), scope, cursor) : undefined;
  // One item beyond the page tells whether there is a next page, so no cursor leads to an empty one.
  const found: Record<string, unknown>[] = [];
  for (let reads = 0; found.length <= limit && reads < MAX_READS_PER_PAGE; reads++) {
    const wanted = limit + 1 - found.length;
    const out = await db().send(
      new QueryCommand({
        ...input,
        TableName: table(),
        Limit: input.FilterExpression ? Math.max(wanted, FILTERED_READ_BATCH) : wanted,
        ExclusiveStartKey: start,
      }),
    );
    found.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
    if (!start) break;
  }
  const items = found.slice(0, limit);
  const last = items.at(-1);
  // More found than shown: continue after the last shown item; else only if the read budget ran out.
  const next = found.length > limit && last ? keyOf(last, input.IndexName) : start;
  return {
    items: items.map((it) => fromItem<T>(it)),
    nextCursor: next ? encodeCursor(await cursorSecret(), scope, next) : null,
  };
}

/** The key DynamoDB continues after: the table's pk/sk, plus the index keys (gsiNpk/gsiNsk). */
function keyOf(item: Record<string, unknown>, index: string | undefined): Record<string, unknown> {
  const names = ['pk', 'sk', ...(index ? [`${index}pk`, `${index}sk`] : [])];
  return Object.fromEntries(names.map((n) => [n, item[n]]));
}

/** Which items of a cancelled TransactWriteItems failed their condition (by index). */
export function failedConditions(err: unknown): number[] {
  const reasons = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  if (!reasons) return [];
  return reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : []));
}

export function isConditionFailure(err: unknown): boolean {
  const name = (err as { name?: string }).name;
  return name === 'ConditionalCheckFailedException' || name === 'TransactionCanceledException';
}
