import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { JavaMissingError, startDynamoServer } from '../infra/local/engines/dynamodb.js';
import { REPO_ROOT } from '../infra/local/repo-root.js';

// Once per `vitest run`, in vitest's own process: what every test file would otherwise start
// itself. Each file still gets its own tables and its own local stack (tests/support/shared-engines.ts).
//   - one DynamoDB Local (in memory): a JVM start is the largest part of a stack's start;
//   - one directory of function bundles: each function is bundled once per run, not per stack.

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's DynamoDB Local; missing without Java (then each file starts its own, and says why it cannot). */
    dynamoEndpoint?: string;
    /** The run's function bundles (infra/local/engines/lambda/function-bundle.ts). */
    bundleDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Named after this process: if it is killed, the next runtime removes it as an orphan.
  const bundleDir = join(REPO_ROOT, '.cache', 'local-functions', `${process.pid}-test-run`);
  mkdirSync(bundleDir, { recursive: true });
  project.provide('bundleDir', bundleDir);
  const dynamo = await startDynamoServer().catch((err: unknown) => {
    if (err instanceof JavaMissingError) return undefined;
    throw err;
  });
  if (dynamo) project.provide('dynamoEndpoint', dynamo.endpoint);
  return async () => {
    await dynamo?.stop();
    rmSync(bundleDir, { recursive: true, force: true });
  };
}
