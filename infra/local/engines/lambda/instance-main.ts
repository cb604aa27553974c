import { parentPort, workerData } from 'node:worker_threads';
import type { InstanceData, InstanceMessage, InvokeMessage } from './instance-protocol.js';
import { serializeError } from './instance-protocol.js';
import { lambdaContext } from './lambda-context.js';

// Inside one function instance (a worker thread with only that function's environment), bundled
// with the handler (function-bundle.ts): once the handler's module has loaded (the cold start),
// serves the invocations the runtime sends, one at a time.

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

export function serve(handler: Handler): void {
  const { functionName } = workerData as InstanceData;
  const port = parentPort!;
  const post = (m: InstanceMessage) => port.postMessage(m);
  port.on('message', (m: InvokeMessage) => {
    const context = lambdaContext(functionName, m.timeoutMs, m.requestId);
    handler(m.event, context).then(
      (result) => {
        try {
          post({ type: 'result', requestId: m.requestId, result });
        } catch (err) {
          // Lambda answers with JSON; a result that cannot be copied would not serialize there either.
          post({ type: 'error', requestId: m.requestId, error: serializeError(err) });
        }
      },
      (err: unknown) => post({ type: 'error', requestId: m.requestId, error: serializeError(err) }),
    );
  });
  post({ type: 'ready' });
}
