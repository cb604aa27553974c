import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LocalStack } from '../../../infra/local/local-stack.js';

// What a crash, a lost write or a status with no API yet leaves in a project item, written straight
// into the local stack's table — for tests that need such a state and cannot reach it through the API.

export function projectItemWriter(stack: LocalStack) {
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack.dynamoEndpoint,
      region: 'eu-central-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  async function update(key: { pk: string; sk: string }, set: Record<string, unknown>, remove: string[]) {
    const names = Object.fromEntries([...Object.keys(set), ...remove].map((k) => [`#${k}`, k]));
    const values = Object.fromEntries(Object.entries(set).map(([k, v]) => [`:${k}`, v]));
    const sets = Object.keys(set).map((k) => `#${k} = :${k}`);
    const clauses = [
      sets.length ? `SET ${sets.join(', ')}` : '',
      remove.length ? `REMOVE ${remove.map((k) => `#${k}`).join(', ')}` : '',
    ];
    await doc.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: key,
        UpdateExpression: clauses.filter(Boolean).join(' '),
        ExpressionAttributeNames: names,
        ...(sets.length ? { ExpressionAttributeValues: values } : {}),
      }),
    );
  }
  return {
    /** Sets `set` and removes `remove` on the project item. */
    overwrite(id: string, set: Record<string, unknown>, remove: string[] = []): Promise<void> {
      return update({ pk: `PROJECT#${id}`, sk: 'PROJECT' }, set, remove);
    },
    /** Sets `set` and removes `remove` on one of the project's domain items. */
    overwriteDomain(id: string, domain: string, set: Record<string, unknown>, remove: string[] = []) {
      return update({ pk: `PROJECT#${id}`, sk: `DOMAIN#${domain}` }, set, remove);
    },
    /** The status as a transition writes it (with the status index key). */
    setStatus(id: string, status: string, extra: Record<string, unknown> = {}): Promise<void> {
      return this.overwrite(id, { status, gsi2pk: `STATUS#${status}`, ...extra });
    },
    /** A domain item as stored (fields the API does not show, such as the renewal mode). */
    async domain(id: string, domain: string): Promise<Record<string, unknown> | undefined> {
      const out = await doc.send(
        new GetCommand({
          TableName: stack.tableName,
          Key: { pk: `PROJECT#${id}`, sk: `DOMAIN#${domain}` },
          ConsistentRead: true,
        }),
      );
      return out.Item;
    },
    /** Sets `set` on one of the project's licenses (e.g. a status staff set by hand). */
    overwriteLicense(id: string, plugin: string, set: Record<string, unknown>) {
      return update({ pk: `PROJECT#${id}`, sk: `LICENSE#${plugin}` }, set, []);
    },
    /** The project's license history entries, oldest first per plugin. */
    async licenseHistory(id: string): Promise<Record<string, unknown>[]> {
      const out = await doc.send(
        new QueryCommand({
          TableName: stack.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
          ExpressionAttributeValues: { ':pk': `PROJECT#${id}`, ':p': 'LICENSEHIST#' },
          ConsistentRead: true,
        }),
      );
      return out.Items ?? [];
    },
    close: () => doc.destroy(),
  };
}
