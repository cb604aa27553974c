import { randomUUID } from 'node:crypto';

// The context object Lambda hands a handler, built inside the function's instance for one
// invocation: the same timeout as on AWS (infra/function-needs.ts, unless the stack overrides it),
// so time budgets (shared/platform/deadline.ts) are the same locally.

export interface LocalLambdaContext {
  functionName: string;
  awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

export function lambdaContext(
  functionName: string,
  timeoutMs: number,
  requestId: string = randomUUID(),
): LocalLambdaContext {
  const deadline = Date.now() + timeoutMs;
  return {
    functionName,
    awsRequestId: requestId,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}
