import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandInput,
  type DynamoDBDocumentClient,
  GetCommand,
  type GetCommandInput,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AwsClientStub } from 'aws-sdk-client-mock';

// A small in-memory stand-in for the single table behind the mocked document client, so a test
// can seed items and then read what the code wrote. It answers Get, BatchGet and main-table
// Queries (pk = :pk AND begins_with(sk, :p)); it applies Puts, honouring the one condition our
// writes use for markers, attribute_not_exists(pk), and fails them the way DynamoDB does.
// Updates are recorded by the mock but not applied (they answer with the old status): tests assert on their input.

export type StoredItem = Record<string, unknown> & { pk: string; sk: string };

const keyOf = (k: { pk?: unknown; sk?: unknown }) => `${String(k.pk)}\u0000${String(k.sk)}`;
const clone = <T>(v: T): T => structuredClone(v);

export function fakeTable(ddb: AwsClientStub<DynamoDBDocumentClient>) {
  const items = new Map<string, StoredItem>();

  const markerTaken = (put: { Item?: Record<string, unknown>; ConditionExpression?: string }) => {
    if (!put.ConditionExpression) return false;
    if (put.ConditionExpression !== 'attribute_not_exists(pk)') {
      throw new Error(`fake table cannot evaluate condition: ${put.ConditionExpression}`);
    }
    return items.has(keyOf(put.Item ?? {}));
  };

  ddb.on(GetCommand).callsFake((input: GetCommandInput) => {
    const item = items.get(keyOf(input.Key ?? {}));
    return item ? { Item: clone(item) } : {};
  });

  ddb.on(BatchGetCommand).callsFake((input: BatchGetCommandInput) => ({
    Responses: Object.fromEntries(
      Object.entries(input.RequestItems ?? {}).map(([table, request]) => [
        table,
        (request.Keys ?? []).flatMap((k) => {
          const item = items.get(keyOf(k));
          return item ? [clone(item)] : [];
        }),
      ]),
    ),
    UnprocessedKeys: {},
  }));

  ddb.on(QueryCommand).callsFake((input: QueryCommandInput) => {
    if (input.IndexName) throw new Error(`fake table has no index ${input.IndexName}`);
    const pk = input.ExpressionAttributeValues?.[':pk'];
    const prefix = String(input.ExpressionAttributeValues?.[':p'] ?? '');
    let found = [...items.values()]
      .filter((it) => it.pk === pk && it.sk.startsWith(prefix))
      .sort((a, b) => a.sk.localeCompare(b.sk));
    if (input.ScanIndexForward === false) found.reverse();
    if (input.Limit) found = found.slice(0, input.Limit);
    return { Items: found.map(clone), Count: found.length };
  });

  ddb.on(PutCommand).callsFake((input: PutCommandInput) => {
    if (markerTaken(input)) {
      throw new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: { httpStatusCode: 400 },
      });
    }
    const item = input.Item as StoredItem;
    items.set(keyOf(item), clone(item));
    return {};
  });

  ddb.on(TransactWriteCommand).callsFake((input: TransactWriteCommandInput) => {
    const writes = input.TransactItems ?? [];
    const reasons = writes.map((w) =>
      w.Put && markerTaken(w.Put)
        ? { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }
        : { Code: 'None' },
    );
    if (reasons.some((r) => r.Code !== 'None')) {
      throw new TransactionCanceledException({
        message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons
          .map((r) => r.Code)
          .join(', ')}]`,
        $metadata: { httpStatusCode: 400 },
        CancellationReasons: reasons,
      });
    }
    for (const w of writes) {
      if (w.Put) items.set(keyOf(w.Put.Item ?? {}), clone(w.Put.Item as StoredItem));
    }
    return {};
  });

  // Like DynamoDB with ReturnValues UPDATED_OLD: the old values of the attributes the update sets.
  ddb.on(UpdateCommand).callsFake((input: { Key: { pk: string; sk: string }; ReturnValues?: string }) => {
    const current = items.get(keyOf(input.Key));
    return input.ReturnValues === 'UPDATED_OLD' && current ? { Attributes: { status: current.status } } : {};
  });

  return {
    seed(...seeded: StoredItem[]): void {
      for (const item of seeded) items.set(keyOf(item), clone(item));
    },
    get(pk: string, sk: string): StoredItem | undefined {
      return items.get(keyOf({ pk, sk }));
    },
    all(): StoredItem[] {
      return [...items.values()];
    },
  };
}
