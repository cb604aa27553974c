import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { LocalStackOptions } from '../../infra/local/local-stack.js';

// What a test file's local stack takes from the run (tests/global-setup.ts) instead of starting it
// itself: the run's DynamoDB Local, with a table of the stack's own, and the run's function bundles.

/** A name no other table of this run has. */
export const uniqueTableName = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

/** For a stack without a data directory: the run's DynamoDB Local and bundles. */
export function sharedEngines(): Pick<LocalStackOptions, 'dynamo' | 'bundleDir'> {
  const endpoint = inject('dynamoEndpoint');
  return {
    bundleDir: inject('bundleDir'),
    ...(endpoint ? { dynamo: { endpoint, tableName: uniqueTableName('vrs-marketplace') } } : {}),
  };
}

/** For a stack on a data directory: its table persists there, in a DynamoDB Local of its own. */
export function sharedBundles(): Pick<LocalStackOptions, 'bundleDir'> {
  return { bundleDir: inject('bundleDir') };
}
