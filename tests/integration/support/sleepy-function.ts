// A stand-in Lambda handler for tests of the local function runtime: it sleeps as long as it is
// told and reports what it sees — its environment, its context, and how many invocations this
// instance has served (module state, which only a warm instance keeps).

let invocations = 0;

interface Context {
  functionName: string;
  awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

export async function handler(event: { sleepMs?: number }, context: Context) {
  invocations++;
  if (event.sleepMs) await new Promise((r) => setTimeout(r, event.sleepMs));
  return {
    invocations,
    env: { ...process.env },
    functionName: context.functionName,
    awsRequestId: context.awsRequestId,
    remainingMs: context.getRemainingTimeInMillis(),
  };
}
