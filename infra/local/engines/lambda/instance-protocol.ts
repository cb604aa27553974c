// Messages between the local runtime and a function instance (a worker thread), and errors in a
// form that crosses the thread boundary with their name (what Step Functions' Retry/Catch match).

export interface InstanceData {
  entry: string;
  functionName: string;
}

export interface InvokeMessage {
  type: 'invoke';
  requestId: string;
  event: unknown;
  timeoutMs: number;
}

export interface SerializedError {
  name: string;
  message: string;
  cause?: string;
  stack?: string;
}

export type InstanceMessage =
  | { type: 'ready' }
  | { type: 'result'; requestId: string; result: unknown }
  | { type: 'error'; requestId: string; error: SerializedError };

export function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const out: SerializedError = { name: err.name, message: err.message };
  if (err.stack) out.stack = err.stack;
  const cause = (err as { cause?: unknown }).cause;
  if (typeof cause === 'string') out.cause = cause;
  else if (cause !== undefined && cause !== null) {
    try {
      out.cause = JSON.stringify(cause);
    } catch {
      out.cause = String(cause);
    }
  }
  return out;
}

export function deserializeError(e: SerializedError): Error {
  const err = new Error(e.message, e.cause !== undefined ? { cause: e.cause } : undefined);
  err.name = e.name;
  if (e.stack) err.stack = e.stack;
  return err;
}
