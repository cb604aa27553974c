import { randomBytes } from 'node:crypto';
import { StepFunctionsApiError } from './errors.js';

// Callback tasks (`.waitForTaskToken`) for the local engine: a task state hands a token to its
// Lambda and waits until someone calls SendTaskSuccess or SendTaskFailure with it, or until its
// TimeoutSeconds pass (States.Timeout). Tokens are persisted with the executions, so a waiting
// execution resumes after a restart with the same token (what the waiting side stored stays valid).

/** Stands for `$$.Task.Token` in a prepared definition; the interpreter has no such context field. */
export const TASK_TOKEN_PLACEHOLDER = '__LocalTaskToken__';

export interface TaskTokenRecord {
  token: string;
  executionArn: string;
  stateName: string;
  /** Epoch ms when the state first started waiting (a resumed wait keeps its original deadline). */
  issuedAt: number;
  /** Epoch ms after which the wait fails with States.Timeout; none without TimeoutSeconds. */
  deadline?: number;
  /** Sent before the state got to wait for it (its Lambda was still running, or it was resuming). */
  early?: { output: unknown } | { error: string; cause: string };
}

interface Waiter {
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
}

export class TaskTokens {
  private readonly tokens = new Map<string, TaskTokenRecord>();
  private readonly waiters = new Map<string, Waiter>();
  /** Tokens whose task is over: sending to them again is TaskTimedOut, as on AWS. */
  private readonly closed = new Set<string>();

  constructor(private readonly onChange: () => void) {}

  /** The token of this execution's wait in this state: the one issued before a restart, or a new one. */
  issue(executionArn: string, stateName: string, timeoutSeconds: number | undefined): TaskTokenRecord {
    for (const t of this.tokens.values()) {
      if (t.executionArn === executionArn && t.stateName === stateName) return t;
    }
    const now = Date.now();
    const record: TaskTokenRecord = {
      token: `local-${randomBytes(48).toString('base64url')}`,
      executionArn,
      stateName,
      issuedAt: now,
      ...(timeoutSeconds !== undefined ? { deadline: now + timeoutSeconds * 1000 } : {}),
    };
    this.tokens.set(record.token, record);
    this.onChange();
    return record;
  }

  /** Settles with SendTaskSuccess's output, or rejects with SendTaskFailure's error or States.Timeout. */
  wait(record: TaskTokenRecord): Promise<unknown> {
    const early = this.tokens.get(record.token)?.early;
    if (early) {
      this.settle(record.token);
      return 'output' in early
        ? Promise.resolve(early.output)
        : Promise.reject(statesError(early.error, early.cause));
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      if (record.deadline !== undefined) {
        // Node timers overflow above 2^31-1 ms; a longer wait is re-armed when the timer fires.
        const arm = () => {
          const left = record.deadline! - Date.now();
          if (left <= 0) {
            this.settle(record.token);
            reject(statesError('States.Timeout', 'The task did not complete within its TimeoutSeconds'));
            return;
          }
          waiter.timer = setTimeout(arm, Math.min(left, 2_147_483_647));
          waiter.timer.unref();
        };
        arm();
      }
      this.waiters.set(record.token, waiter);
    });
  }

  succeed(token: string, output: string): void {
    let value: unknown;
    try {
      value = JSON.parse(output);
    } catch {
      throw new StepFunctionsApiError('InvalidOutput', 'Invalid Output: not JSON');
    }
    this.deliver(token, { output: value });
  }

  fail(token: string, error: string | undefined, cause: string | undefined): void {
    this.deliver(token, { error: error ?? '', cause: cause ?? '' });
  }

  heartbeat(token: string): void {
    this.check(token);
  }

  private deliver(token: string, settlement: NonNullable<TaskTokenRecord['early']>): void {
    this.check(token);
    const waiter = this.waiters.get(token);
    if (!waiter) {
      this.tokens.get(token)!.early = settlement;
      this.onChange();
      return;
    }
    this.settle(token);
    if ('output' in settlement) waiter.resolve(settlement.output);
    else waiter.reject(statesError(settlement.error, settlement.cause));
  }

  /** The execution ended (or was stopped): its tokens are no longer valid. */
  dropExecution(executionArn: string): void {
    let changed = false;
    for (const [token, t] of this.tokens) {
      if (t.executionArn !== executionArn) continue;
      const waiter = this.waiters.get(token);
      if (waiter?.timer) clearTimeout(waiter.timer);
      this.waiters.delete(token);
      this.tokens.delete(token);
      this.closed.add(token);
      changed = true;
    }
    if (changed) this.onChange();
  }

  /** Waits of this execution that a restart interrupted (their state resumes with the same token). */
  pendingOf(executionArn: string): TaskTokenRecord[] {
    return [...this.tokens.values()].filter((t) => t.executionArn === executionArn);
  }

  /** Stops the timers without settling anything (the local runtime is shutting down). */
  close(): void {
    for (const waiter of this.waiters.values()) if (waiter.timer) clearTimeout(waiter.timer);
    this.waiters.clear();
  }

  toJSON(): TaskTokenRecord[] {
    return [...this.tokens.values()];
  }

  load(records: TaskTokenRecord[]): void {
    for (const r of records) this.tokens.set(r.token, r);
  }

  /** The token is one we issued and its task still waits (or is about to); else AWS's errors. */
  private check(token: string): void {
    if (typeof token !== 'string' || token.length === 0 || token.length > 1024) {
      throw new StepFunctionsApiError('InvalidToken', 'Invalid Token');
    }
    // AWS answers a token whose task is over (completed, timed out, stopped) with TaskTimedOut.
    if (this.closed.has(token) || this.tokens.get(token)?.early) {
      throw new StepFunctionsApiError('TaskTimedOut', 'Task Timed Out');
    }
    if (!this.tokens.has(token)) throw new StepFunctionsApiError('TaskDoesNotExist', 'Task Does Not Exist');
  }

  private settle(token: string): void {
    const waiter = this.waiters.get(token);
    if (waiter?.timer) clearTimeout(waiter.timer);
    this.waiters.delete(token);
    this.tokens.delete(token);
    this.closed.add(token);
    this.onChange();
  }
}

/** An error the interpreter's Retry and Catch match by name, with the cause as its message. */
function statesError(name: string, cause: string): Error {
  const e = new Error(cause);
  e.name = name;
  return e;
}

/** The evaluated Parameters with the placeholder replaced by the real token, wherever it sits. */
export function withToken(value: unknown, token: string): unknown {
  if (value === TASK_TOKEN_PLACEHOLDER) return token;
  if (Array.isArray(value)) return value.map((v) => withToken(v, token));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withToken(v, token)]));
  }
  return value;
}
