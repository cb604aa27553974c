import { FunctionInstance } from './function-instance.js';

// The instances of one function, as Lambda scales it: an idle instance serves the next invocation
// (a warm start), a new one starts when all are busy (a cold start) up to a cap, further
// invocations wait for one to free up, and an instance idle for long is retired.

export interface FunctionPoolOptions {
  entry: string;
  functionName: string;
  /** The instance's whole environment; read at each cold start. */
  env: () => Record<string, string>;
  /** The function's bundle (its URL), built on the first cold start. */
  code: () => Promise<string>;
  timeoutMs: number;
  maxInstances: number;
  idleMs: number;
  log: (message: string) => void;
}

export class FunctionPool {
  /** Most recently used last: the warmest instance serves next, as Lambda tends to. */
  private readonly idle: { instance: FunctionInstance; timer: NodeJS.Timeout }[] = [];
  private readonly waiting: { resolve: (i: FunctionInstance) => void; reject: (e: Error) => void }[] = [];
  private readonly all = new Set<FunctionInstance>();
  private count = 0;
  private closed = false;

  constructor(private readonly options: FunctionPoolOptions) {}

  get instances(): number {
    return this.count;
  }

  async invoke(event: unknown): Promise<unknown> {
    const instance = await this.acquire();
    try {
      return await instance.invoke(event, this.options.timeoutMs);
    } finally {
      this.release(instance);
    }
  }

  close(): void {
    this.closed = true;
    for (const { timer } of this.idle.splice(0)) clearTimeout(timer);
    for (const instance of this.all) instance.terminate();
    for (const w of this.waiting.splice(0)) w.reject(this.stopped());
  }

  private acquire(): Promise<FunctionInstance> {
    if (this.closed) return Promise.reject(this.stopped());
    const warm = this.idle.pop();
    if (warm) {
      clearTimeout(warm.timer);
      return Promise.resolve(warm.instance);
    }
    if (this.count < this.options.maxInstances) return Promise.resolve(this.coldStart());
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private stopped(): Error {
    return new Error(`${this.options.functionName}: the local runtime stopped`);
  }

  private coldStart(): FunctionInstance {
    this.count++;
    const { entry, functionName } = this.options;
    const instance = new FunctionInstance(this.options.code(), { entry, functionName }, this.options.env());
    this.all.add(instance);
    instance.ready.then(
      (ms) => this.options.log(`cold start ${functionName} in ${ms} ms (${this.count} instances)`),
      () => {},
    );
    return instance;
  }

  private release(instance: FunctionInstance): void {
    if (!instance.isAlive || this.closed) {
      this.retire(instance);
      const next = this.waiting.shift();
      if (next) next.resolve(this.coldStart());
      return;
    }
    const next = this.waiting.shift();
    if (next) {
      next.resolve(instance);
      return;
    }
    const timer = setTimeout(() => {
      const i = this.idle.findIndex((e) => e.instance === instance);
      if (i < 0) return;
      this.idle.splice(i, 1);
      this.retire(instance);
    }, this.options.idleMs);
    timer.unref();
    this.idle.push({ instance, timer });
  }

  private retire(instance: FunctionInstance): void {
    instance.terminate();
    this.all.delete(instance);
    this.count--;
  }
}
