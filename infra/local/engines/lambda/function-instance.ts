import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import {
  deserializeError,
  type InstanceData,
  type InstanceMessage,
  type InvokeMessage,
} from './instance-protocol.js';

// One instance of a function, as Lambda runs one execution environment: a worker thread with its
// own module state and only the environment it is given, serving one invocation at a time. An
// invocation that outlives its timeout ends the instance (Sandbox.Timedout), as on Lambda.

/** Init may take this long (Lambda's own init limit is 10 s; a shared CPU locally can be slower). */
const INIT_LIMIT_MS = 60_000;

export class SandboxTimedout extends Error {
  override readonly name = 'Sandbox.Timedout';
  constructor(seconds: number) {
    super(`Task timed out after ${seconds.toFixed(2)} seconds`);
  }
}

export class FunctionInstance {
  /** Resolves with the init time in ms once the handler is loaded; rejects with its init error. */
  readonly ready: Promise<number>;
  private worker: Worker | undefined;
  private alive = true;
  private pending: { requestId: string; settle: (m: InstanceMessage | Error) => void } | undefined;

  /** `code`: the URL of the function's bundle (function-bundle.ts). */
  constructor(code: Promise<string>, data: InstanceData, env: Record<string, string>) {
    const started = Date.now();
    this.ready = code.then((url) => this.start(url, data, env, started));
    // A failed init (or bundle) is reported to the invocation that waits for it; the instance is
    // not reused, so the next invocation starts (and bundles) afresh.
    this.ready.catch(() => {
      this.alive = false;
    });
  }

  private start(
    url: string,
    data: InstanceData,
    env: Record<string, string>,
    started: number,
  ): Promise<number> {
    if (!this.alive) return Promise.reject(new Error(`${data.functionName}: the instance was ended`));
    // Nothing of this process's execArgv or environment is inherited.
    const worker = new Worker(new URL(url), { env, execArgv: [], workerData: data });
    this.worker = worker;
    worker.unref();
    let initialized = false;
    return new Promise<number>((resolveReady, rejectReady) => {
      const initTimer = setTimeout(() => {
        rejectReady(new Error(`${data.functionName}: init took longer than ${INIT_LIMIT_MS} ms`));
        this.terminate();
      }, INIT_LIMIT_MS);
      initTimer.unref();
      worker.on('message', (m: InstanceMessage) => {
        if (m.type === 'ready') {
          initialized = true;
          clearTimeout(initTimer);
          resolveReady(Date.now() - started);
        } else if (this.pending?.requestId === m.requestId) this.pending.settle(m);
      });
      const crashed = (err: Error) => {
        clearTimeout(initTimer);
        this.alive = false;
        rejectReady(err);
        this.pending?.settle(err);
      };
      // Thrown while the module loads: the init error itself (e.g. a configuration read at import).
      worker.on('error', (err) => crashed(initialized ? exitError(err.message) : err));
      worker.on('exit', (code) => crashed(exitError(`exited with code ${code}`)));
    });
  }

  get isAlive(): boolean {
    return this.alive;
  }

  /** Runs one invocation; the instance must be idle. */
  async invoke(event: unknown, timeoutMs: number): Promise<unknown> {
    await this.ready;
    if (this.pending) throw new Error('A function instance serves one invocation at a time');
    const requestId = randomUUID();
    const outcome = await new Promise<InstanceMessage | Error>((settle) => {
      const timer = setTimeout(() => {
        this.pending?.settle(new SandboxTimedout(timeoutMs / 1000));
        this.terminate();
      }, timeoutMs);
      this.pending = {
        requestId,
        settle: (m) => {
          clearTimeout(timer);
          this.pending = undefined;
          settle(m);
        },
      };
      const message: InvokeMessage = { type: 'invoke', requestId, event, timeoutMs };
      this.worker!.postMessage(message);
    });
    if (outcome instanceof Error) throw outcome;
    if (outcome.type === 'result') return outcome.result;
    if (outcome.type === 'error') throw deserializeError(outcome.error);
    throw new Error(`Unexpected message from the instance: ${outcome.type}`);
  }

  terminate(): void {
    if (!this.alive) return;
    this.alive = false;
    void this.worker?.terminate();
  }
}

/** Lambda's name for a runtime that died during an invocation. */
function exitError(detail: string): Error {
  const err = new Error(`Runtime exited: ${detail}`);
  err.name = 'Runtime.ExitError';
  return err;
}
