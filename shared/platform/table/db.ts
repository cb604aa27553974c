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

/** An item as the domain sees it: without key attributes and the entity tag. */
export function fromItem<T>(item: Record<string, unknown>): T {
  const { pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, gsi2pk: _e, gsi2sk: _f, entity: _g, ...rest } = item;
  return rest as T;
}

export type QueryInput = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey' | 'Limit'>;

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
