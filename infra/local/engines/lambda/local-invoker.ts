import { FUNCTION_TIMEOUT_SECONDS, type FunctionKind } from '../../../function-needs.js';
import { FunctionBundles } from './function-bundle.js';
import { FunctionPool } from './function-pool.js';
import { type LocalFunction, localFunctionName, localFunctions } from './local-functions.js';

// Invokes functions as Lambda does: each in its own instances (function-pool.ts) with only the
// environment its needs give it, ended at its timeout. The gateway, the Step Functions engine, the
// status-change events and the scheduled jobs all invoke through here.

export interface LocalInvokerOptions {
  /** The whole environment of an instance of `fn`. */
  environment: (fn: LocalFunction, functionName: string) => Record<string, string>;
  /** Overrides FUNCTION_TIMEOUT_SECONDS per kind (tests). */
  timeoutSeconds?: Partial<Record<FunctionKind, number>>;
  /** Instances per function at most (Lambda scales further; locally 10 is plenty). */
  maxInstances?: number;
  /** An instance idle this long is retired. */
  idleMs?: number;
  /** Bundles are kept and reused there (function-bundle.ts); default a directory of this invoker's own. */
  bundleDir?: string;
  log: (message: string) => void;
}

export class LocalInvoker {
  private readonly functions = localFunctions();
  private readonly pools = new Map<string, FunctionPool>();
  private readonly bundles: FunctionBundles;

  constructor(private readonly options: LocalInvokerOptions) {
    this.bundles = new FunctionBundles(options.bundleDir);
  }

  /**
   * Invokes a function by entry (`api/get-project`), or a function given whole — e.g. with other
   * needs than the manifest's, to see what it does without a variable.
   */
  invoke(fn: string | LocalFunction, event: unknown): Promise<unknown> {
    return this.pool(fn).invoke(event);
  }

  /** The whole environment an instance of the function gets. */
  environmentOf(entry: string): Record<string, string> {
    const spec = this.functions.get(entry);
    if (!spec) throw new Error(`No function ${entry} in infra/function-needs.ts`);
    return this.options.environment(spec, localFunctionName(entry));
  }

  timeoutSeconds(kind: FunctionKind): number {
    return this.options.timeoutSeconds?.[kind] ?? FUNCTION_TIMEOUT_SECONDS[kind];
  }

  /** Instances per function now (for logs and benchmarks). */
  instances(): Record<string, number> {
    return Object.fromEntries([...this.pools].map(([key, pool]) => [key, pool.instances]));
  }

  close(): void {
    for (const pool of this.pools.values()) pool.close();
    this.pools.clear();
    this.bundles.remove();
  }

  private pool(fn: string | LocalFunction): FunctionPool {
    const spec = typeof fn === 'string' ? this.functions.get(fn) : fn;
    if (!spec) throw new Error(`No function ${String(fn)} in infra/function-needs.ts`);
    // A function given with other needs is another function: it gets its own instances.
    const functionName = spec.name ?? localFunctionName(spec.entry);
    const key = `${functionName} ${JSON.stringify(spec.needs)}`;
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new FunctionPool({
        entry: spec.entry,
        functionName,
        env: () => this.options.environment(spec, functionName),
        code: () => this.bundles.bundle(spec.entry),
        timeoutMs: this.timeoutSeconds(spec.kind) * 1000,
        maxInstances: this.options.maxInstances ?? 4,
        idleMs: this.options.idleMs ?? 5 * 60_000,
        log: this.options.log,
      });
      this.pools.set(key, pool);
    }
    return pool;
  }
}
