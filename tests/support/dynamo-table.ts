import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { type LocalDynamo, startDynamo, useDynamo } from '../../infra/local/engines/dynamodb.js';

// The real table on DynamoDB Local for tests of repositories and handlers: condition expressions
// and transactions are DynamoDB's own, not a fake's. One DynamoDB Local for the whole run
// (tests/global-setup.ts), a table of its own per test file.

export interface TestTable {
  name: string;
  endpoint: string;
  seed(...items: Record<string, unknown>[]): Promise<void>;
  get(key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined>;
  query(pk: string, skPrefix?: string): Promise<Record<string, unknown>[]>;
  remove(key: { pk: string; sk: string }): Promise<void>;
  /** Deletes every item of a partition (an item collection such as a project's). */
  clear(pk: string): Promise<void>;
  /** Every item in the table (a Scan): to show what a call wrote, or that it wrote nothing. */
  all(): Promise<Record<string, unknown>[]>;
  /** Deletes every item: for tests whose writes land in partitions with generated ids. */
  clearAll(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Creates the table `name` (no other file's: it is refused if it exists) and points the handlers'
 * table config (TABLE_NAME, endpoint) at it. `stop()` deletes it.
 */
export async function startTestTable(name: string): Promise<TestTable> {
  const endpoint = inject('dynamoEndpoint');
  const dynamo: LocalDynamo = endpoint
    ? await useDynamo({ endpoint, tableName: name })
    : await startDynamo({ tableName: name });
  Object.assign(process.env, {
    TABLE_NAME: name,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'eu-central-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const table: TestTable = {
    name,
    endpoint: dynamo.endpoint,
    async seed(...items) {
      for (const Item of items) await doc.send(new PutCommand({ TableName: name, Item }));
    },
    async get(Key) {
      return (await doc.send(new GetCommand({ TableName: name, Key, ConsistentRead: true }))).Item;
    },
    async query(pk, skPrefix) {
      const out = await doc.send(
        new QueryCommand({
          TableName: name,
          KeyConditionExpression: skPrefix ? 'pk = :pk AND begins_with(sk, :p)' : 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk, ...(skPrefix ? { ':p': skPrefix } : {}) },
          ConsistentRead: true,
        }),
      );
      return out.Items ?? [];
    },
    async remove(Key) {
      await doc.send(new DeleteCommand({ TableName: name, Key }));
    },
    async clear(pk) {
      for (const item of await table.query(pk))
        await doc.send(new DeleteCommand({ TableName: name, Key: { pk, sk: item.sk } }));
    },
    async all() {
      const items: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await doc.send(
          new ScanCommand({ TableName: name, ConsistentRead: true, ExclusiveStartKey: start }),
        );
        items.push(...(out.Items ?? []));
        start = out.LastEvaluatedKey;
      } while (start);
      return items;
    },
    async clearAll() {
      for (const item of await table.all())
        await doc.send(new DeleteCommand({ TableName: name, Key: { pk: item.pk, sk: item.sk } }));
    },
    async stop() {
      doc.destroy();
      await dynamo.stop();
    },
  };
  return table;
}
