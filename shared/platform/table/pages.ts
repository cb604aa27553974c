import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { defineConfig } from '../config.js';
import { readJsonSecret } from '../secrets.js';
import { decodeCursor, encodeCursor, queryScope } from './cursor.js';
import { db, fromItem, type QueryInput, table } from './db.js';

// Lists that clients page through, with signed cursors (cursor.ts). Only the functions that serve
// such lists import this module, and only they get the signing key's secret.

const cursorConfig = defineConfig('cursor', z.object({ CURSOR_SECRET_ARN: z.string().min(1) }));
const cursorSecretShape = z.object({ key: z.string().min(32) });

/** The signing key, from Secrets Manager once per cold start (docs/data-model.md, Pagination). */
const cursorSecret = async (): Promise<string> =>
  (await readJsonSecret(cursorConfig().CURSOR_SECRET_ARN, cursorSecretShape)).key;

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
