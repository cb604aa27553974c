import { randomUUID } from 'node:crypto';
import { FUNCTION_TIMEOUT_SECONDS, type FunctionKind } from '../../../function-needs.js';

// The context object Lambda hands a handler, for one local invocation: the same timeout as on AWS
// (infra/function-needs.ts), so time budgets (shared/platform/deadline.ts) are the same locally.

export interface LocalLambdaContext {
  functionName: string;
  awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

export function lambdaContext(entry: string, kind: FunctionKind): LocalLambdaContext {
  const deadline = Date.now() + FUNCTION_TIMEOUT_SECONDS[kind] * 1000;
  return {
    functionName: `vrs-local-${entry.replaceAll('/', '-')}`,
    awsRequestId: randomUUID(),
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}
