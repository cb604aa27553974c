import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { awsClientOptions } from '../clients/aws-client-options.js';
import { defineConfig } from '../config.js';

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

/** Opaque pagination cursor: the LastEvaluatedKey, base64url-encoded. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : null;
}

export function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  return INVALID_CURSOR;
}

/** Marker returned for a cursor we did not issue; services turn it into a 400. */
export const INVALID_CURSOR: Record<string, unknown> = Object.freeze({ invalid: true });

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

/** One page of a query; the cursor is opaque to clients. */
export async function queryPage<T>(input: QueryInput, limit: number, cursor?: string): Promise<Page<T>> {
  const out = await db().send(
    new QueryCommand({ ...input, TableName: table(), Limit: limit, ExclusiveStartKey: decodeCursor(cursor) }),
  );
  return {
    items: (out.Items ?? []).map((it) => fromItem<T>(it)),
    nextCursor: encodeCursor(out.LastEvaluatedKey),
  };
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
