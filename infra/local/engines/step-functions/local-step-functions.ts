import '../polyfills.js';
import { randomUUID } from 'node:crypto';
import { type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { readJsonFile, writeJsonFile } from '../json-file.js';
import {
  type AslDefinition,
  allStates,
  asDefinition,
  buildOverrides,
  callbackStates,
  jsonCopy,
  lambdaInvoke,
  type Overrides,
  prepareDefinition,
  REDRIVE_ENTRY_STATE,
  redriveDefinition,
} from './definition.js';
import { StepFunctionsApiError } from './errors.js';
import { type TaskTokenRecord, TaskTokens, withToken } from './task-tokens.js';
import type {
  ExecutionDescription,
  ExecutionHistoryEntry,
  ExecutionListItem,
  ExecutionRecord,
  ExecutionStatus,
  LocalStateMachineConfig,
  LocalStepFunctionsOptions,
  StepFunctionsStatusChangeDetail,
  StepFunctionsStatusChangeEvent,
} from './types.js';

// Step Functions for local mode: runs the very same ASL files with aws-local-stepfunctions and adds what
// that interpreter lacks: named executions, a registry to describe/list/stop them, redrive, callback
// tasks (.waitForTaskToken with SendTaskSuccess/Failure/Heartbeat), status-change events and
// persistence across restarts (an execution waiting for a task token resumes its wait).

type JsonInput = Parameters<StateMachine['run']>[0];
type Execution = ReturnType<StateMachine['run']>;
type EventLog = Execution['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

interface MachineEntry {
  config: LocalStateMachineConfig;
  region: string;
  account: string;
  definition: AslDefinition;
  topLevelStates: Set<string>;
  machine: StateMachine;
  overrides: Overrides;
  /** Callback task states and their TimeoutSeconds. */
  callbacks: Map<string, number | undefined>;
}

/** How a run begins: a new execution, a redrive of a closed one, or a wait resumed after a restart. */
type RunMode = 'start' | 'redrive' | 'resume';

interface ActiveRun {
  abort?: () => void;
  /** Settles when the run ended and its terminal status event was delivered. */
  done: Promise<void>;
  /** Settles when the interpreter's event log is drained. */
  logging?: Promise<void>;
}

interface Outcome {
  status: Exclude<ExecutionStatus, 'RUNNING'>;
  output?: string;
  error?: string;
  cause?: string;
}

const REDRIVABLE: ReadonlySet<ExecutionStatus> = new Set(['FAILED', 'ABORTED', 'TIMED_OUT']);
const TERMINAL_HISTORY: Record<Outcome['status'], ExecutionHistoryEntry['type']> = {
  SUCCEEDED: 'ExecutionSucceeded',
  FAILED: 'ExecutionFailed',
  ABORTED: 'ExecutionAborted',
  TIMED_OUT: 'ExecutionTimedOut',
};
const DEFAULT_REGION = 'eu-central-1';
const DEFAULT_ACCOUNT = '000000000000';
const PERSIST_DELAY_MS = 50;

export class LocalStepFunctions {
  private readonly machines = new Map<string, MachineEntry>();
  private readonly records = new Map<string, ExecutionRecord>();
  private readonly active = new Map<string, ActiveRun>();
  /** Per execution, the chain of status-change deliveries (keeps them in order). */
  private readonly deliveries = new Map<string, Promise<void>>();
  private readonly waitMs: number;
  private readonly retryIntervalMs: number;
  private readonly log: (message: string, error?: unknown) => void;
  private persistTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly tokens = new TaskTokens(() => this.schedulePersist());

  constructor(private readonly options: LocalStepFunctionsOptions) {
    this.waitMs = options.waitMs ?? 200;
    this.retryIntervalMs = options.retryIntervalMs ?? 100;
    this.log = options.log ?? ((message, error) => console.error(message, error ?? ''));
    for (const config of options.stateMachines) this.register(config);
    this.load();
  }

  async startExecution(params: {
    stateMachineArn: string;
    name?: string;
    /** JSON text (as in the API) or any JSON-serialisable value. Default `{}`. */
    input?: unknown;
  }): Promise<{ executionArn: string; startDate: Date }> {
    const sm = this.machine(params.stateMachineArn);
    const name = params.name ?? randomUUID();
    validateName(name);
    const input = normalizeInput(params.input);
    const executionArn = `arn:aws:states:${sm.region}:${sm.account}:execution:${sm.config.name}:${name}`;
    const existing = this.records.get(executionArn);
    if (existing) {
      // AWS: same name + same input while RUNNING returns that execution; otherwise the name is taken.
      if (existing.status === 'RUNNING' && sameJson(existing.input, input)) {
        return { executionArn, startDate: new Date(existing.startDate) };
      }
      throw new StepFunctionsApiError(
        'ExecutionAlreadyExists',
        `Execution Already Exists: '${executionArn}'`,
      );
    }
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: sm.config.arn,
      stateMachineName: sm.config.name,
      name,
      input,
      status: 'RUNNING',
      startDate: Date.now(),
      redriveCount: 0,
      history: [],
      stateTransitions: 0,
    };
    this.records.set(executionArn, record);
    this.persistNow();
    this.launch(record, sm, 'start');
    return { executionArn, startDate: new Date(record.startDate) };
  }

  async redriveExecution(params: { executionArn: string }): Promise<{ redriveDate: Date }> {
    const record = this.record(params.executionArn);
    if (!REDRIVABLE.has(record.status)) {
      throw new StepFunctionsApiError(
        'ExecutionNotRedrivable',
        `Execution is ${record.status} and cannot be redriven`,
      );
    }
    const sm = this.machines.get(record.stateMachineArn);
    if (!sm) {
      throw new StepFunctionsApiError(
        'ExecutionNotRedrivable',
        `State machine ${record.stateMachineArn} is not loaded in the local runtime`,
      );
    }
    const redriveDate = Date.now();
    record.status = 'RUNNING';
    record.redriveCount += 1;
    record.redriveDate = redriveDate;
    record.stopDate = undefined;
    record.output = undefined;
    record.error = undefined;
    record.cause = undefined;
    this.persistNow();
    this.launch(record, sm, 'redrive');
    return { redriveDate: new Date(redriveDate) };
  }

  /** SendTaskSuccess: the waiting callback task ends with this output (JSON text). */
  async sendTaskSuccess(params: { taskToken: string; output: string }): Promise<void> {
    this.tokens.succeed(params.taskToken, params.output);
  }

  /** SendTaskFailure: the waiting callback task fails with this error (Retry/Catch see its name). */
  async sendTaskFailure(params: { taskToken: string; error?: string; cause?: string }): Promise<void> {
    this.tokens.fail(params.taskToken, params.error, params.cause);
  }

  /** SendTaskHeartbeat: checks the token (HeartbeatSeconds are not enforced locally). */
  async sendTaskHeartbeat(params: { taskToken: string }): Promise<void> {
    this.tokens.heartbeat(params.taskToken);
  }

  async stopExecution(params: {
    executionArn: string;
    error?: string;
    cause?: string;
  }): Promise<{ stopDate: Date }> {
    const record = this.record(params.executionArn);
    if (record.status !== 'RUNNING') return { stopDate: new Date(record.stopDate ?? Date.now()) };
    const run = this.active.get(record.executionArn);
    this.active.delete(record.executionArn);
    run?.abort?.();
    await run?.logging; // the interpreter closes its log on abort; drain it so lastState is final
    this.finish(record, { status: 'ABORTED', error: params.error, cause: params.cause });
    await this.emit(record, false);
    return { stopDate: new Date(record.stopDate ?? Date.now()) };
  }

  async describeExecution(params: { executionArn: string } | string): Promise<ExecutionDescription> {
    const arn = typeof params === 'string' ? params : params.executionArn;
    return describe(this.record(arn));
  }

  async listExecutions(params: {
    stateMachineArn: string;
    statusFilter?: ExecutionStatus;
    maxResults?: number;
    nextToken?: string;
  }): Promise<{ executions: ExecutionListItem[]; nextToken?: string }> {
    const known = [...this.records.values()].some((r) => r.stateMachineArn === params.stateMachineArn);
    if (!known) this.machine(params.stateMachineArn);
    const all = [...this.records.values()]
      .filter((r) => r.stateMachineArn === params.stateMachineArn)
      .filter((r) => !params.statusFilter || r.status === params.statusFilter)
      .sort((a, b) => b.startDate - a.startDate);
    const offset = params.nextToken ? Number(Buffer.from(params.nextToken, 'base64url').toString()) : 0;
    if (!Number.isInteger(offset) || offset < 0) {
      throw new StepFunctionsApiError('ValidationException', 'Invalid nextToken');
    }
    const limit = params.maxResults && params.maxResults > 0 ? Math.min(params.maxResults, 1000) : 100;
    const page = all.slice(offset, offset + limit);
    const executions = page.map((r) => ({
      executionArn: r.executionArn,
      stateMachineArn: r.stateMachineArn,
      name: r.name,
      status: r.status,
      startDate: new Date(r.startDate),
      ...(r.stopDate !== undefined ? { stopDate: new Date(r.stopDate) } : {}),
      redriveCount: r.redriveCount,
      ...(r.redriveDate !== undefined ? { redriveDate: new Date(r.redriveDate) } : {}),
    }));
    const more = offset + limit < all.length;
    return more
      ? { executions, nextToken: Buffer.from(String(offset + limit)).toString('base64url') }
      : { executions };
  }

  /** For tests: resolves once the execution is no longer RUNNING and its status event was delivered. */
  async waitForExecution(executionArn: string, timeoutMs = 10_000): Promise<ExecutionDescription> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const record = this.record(executionArn);
      const run = this.active.get(executionArn);
      if (record.status !== 'RUNNING' && !run) {
        await this.deliveries.get(executionArn);
        return describe(record);
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        const at = record.lastState ? ` (in state "${record.lastState.name}")` : '';
        throw new Error(`Execution ${executionArn} still ${record.status}${at} after ${timeoutMs} ms`);
      }
      await Promise.race([run?.done ?? sleep(10), sleep(Math.min(left, 250))]);
    }
  }

  /** Stops running interpreters (their records stay RUNNING, as after a crash) and writes the records. */
  async close(): Promise<void> {
    this.closed = true;
    const runs = [...this.active.values()];
    this.active.clear();
    for (const run of runs) run.abort?.();
    // Aborting closes each interpreter's event log; drain them so the records hold the last state entered.
    await Promise.all(runs.map((run) => run.logging));
    this.tokens.close();
    this.persistNow();
  }

  // --- running -------------------------------------------------------------------------------------

  private launch(record: ExecutionRecord, sm: MachineEntry, mode: RunMode): void {
    const run: ActiveRun = { done: Promise.resolve() };
    this.active.set(record.executionArn, run);
    run.done = this.run(record, sm, run, mode).catch((err) => {
      this.log(`Local Step Functions: run of ${record.executionArn} crashed`, err);
    });
  }

  private isCurrent(record: ExecutionRecord, run: ActiveRun): boolean {
    return !this.closed && this.active.get(record.executionArn) === run;
  }

  private async run(record: ExecutionRecord, sm: MachineEntry, run: ActiveRun, mode: RunMode): Promise<void> {
    // A resumed wait is the same run to the outside: no status event, no history entry.
    if (mode !== 'resume') await this.emit(record, mode === 'redrive');
    if (!this.isCurrent(record, run)) return; // stopped before the interpreter started

    let machine = sm.machine;
    let input: unknown = JSON.parse(record.input);
    if (mode !== 'start' && record.lastState) {
      const copy = redriveDefinition(sm.definition, record.lastState.name, record.lastState.input);
      machine = new StateMachine(copy.definition as unknown as StateMachineDefinition, {
        validationOptions: { noValidate: true },
      });
      if (copy.startWithStateInput) input = record.lastState.input;
    }

    let outcome: Outcome;
    try {
      const execution = machine.run(input as JsonInput, {
        overrides: this.overridesFor(record, sm) as unknown as RunOptions['overrides'],
        context: this.contextObject(record, sm),
      });
      run.abort = execution.abort;
      run.logging = this.follow(record, sm, execution.eventLogs, mode);
      try {
        const output = await execution.result;
        outcome = { status: 'SUCCEEDED', output: JSON.stringify(output ?? null) };
      } catch (err) {
        outcome = outcomeOf(err);
      }
      await run.logging;
    } catch (err) {
      outcome = {
        status: 'FAILED',
        error: 'States.Runtime',
        cause: err instanceof Error ? err.message : String(err),
      };
    }

    if (!this.isCurrent(record, run)) return; // StopExecution closed it meanwhile
    this.active.delete(record.executionArn);
    this.finish(record, outcome);
    await this.emit(record, false);
  }

  /** Mirrors the interpreter's event log into the record: history, transitions, last state entered. */
  private async follow(
    record: ExecutionRecord,
    sm: MachineEntry,
    events: AsyncGenerator<EventLog>,
    mode: RunMode,
  ): Promise<void> {
    for await (const ev of events) {
      if (ev.type === 'ExecutionStarted') {
        if (mode !== 'resume') {
          record.history.push({
            type: mode === 'redrive' ? 'ExecutionRedriven' : 'ExecutionStarted',
            timestamp: ev.timestamp,
          });
        }
        continue;
      }
      if (!('state' in ev) || ev.state.name === REDRIVE_ENTRY_STATE) continue;
      const entry: ExecutionHistoryEntry = {
        type: ev.type as ExecutionHistoryEntry['type'],
        timestamp: ev.timestamp,
      };
      entry.state = ev.state.name;
      switch (ev.type) {
        case 'StateEntered':
          record.stateTransitions += 1;
          if (!('index' in ev && ev.index !== undefined) && sm.topLevelStates.has(ev.state.name)) {
            record.lastState = { name: ev.state.name, input: jsonCopy(ev.state.input) };
          }
          this.schedulePersist();
          break;
        case 'StateFailed':
          entry.error = ev.Error;
          entry.cause = causeText(ev.Cause);
          break;
        case 'StateRetried':
          entry.attempt = ev.retry.attempt;
          break;
        case 'StateExited':
        case 'StateCaught':
          break;
        default:
          continue; // Map iteration / Parallel branch bookkeeping
      }
      record.history.push(entry);
    }
  }

  /**
   * The machine's handlers, with each callback task bound to this execution: it issues (or, after a
   * restart, reuses) the state's token, puts it where the ASL had `$$.Task.Token`, invokes the
   * Lambda and waits for SendTaskSuccess/Failure or the state's TimeoutSeconds.
   */
  private overridesFor(record: ExecutionRecord, sm: MachineEntry): Overrides {
    if (sm.callbacks.size === 0) return sm.overrides;
    const handlers = { ...sm.overrides.taskResourceLocalHandlers };
    for (const [stateName, timeoutSeconds] of sm.callbacks) {
      const state = findState(sm.definition, stateName);
      const invoke = lambdaInvoke(
        `State machine ${sm.config.name}, state "${stateName}"`,
        state,
        this.options.taskHandlers,
      );
      handlers[stateName] = async (input) => {
        const token: TaskTokenRecord = this.tokens.issue(record.executionArn, stateName, timeoutSeconds);
        await invoke(withToken(input, token.token));
        return this.tokens.wait(token);
      };
    }
    return { ...sm.overrides, taskResourceLocalHandlers: handlers };
  }

  private finish(record: ExecutionRecord, outcome: Outcome): void {
    this.tokens.dropExecution(record.executionArn);
    const stopDate = Date.now();
    record.status = outcome.status;
    record.stopDate = stopDate;
    record.output = outcome.output;
    record.error = outcome.error;
    record.cause = outcome.cause;
    const entry: ExecutionHistoryEntry = { type: TERMINAL_HISTORY[outcome.status], timestamp: stopDate };
    if (outcome.error !== undefined) entry.error = outcome.error;
    if (outcome.cause !== undefined) entry.cause = outcome.cause;
    record.history.push(entry);
    this.persistNow();
  }

  private contextObject(record: ExecutionRecord, sm: MachineEntry): RunOptions['context'] {
    return {
      Execution: {
        Id: record.executionArn,
        Name: record.name,
        RoleArn: `arn:aws:iam::${sm.account}:role/local-step-functions`,
        RedriveCount: record.redriveCount,
        ...(record.redriveDate !== undefined
          ? { RedriveTime: new Date(record.redriveDate).toISOString() }
          : {}),
      },
      StateMachine: { Id: sm.config.arn, Name: sm.config.name },
    };
  }

  // --- status-change events ------------------------------------------------------------------------

  /** Builds the event now (a snapshot) and delivers it after the execution's earlier events. */
  private emit(record: ExecutionRecord, redriving: boolean): Promise<void> {
    const callback = this.options.onStatusChange;
    if (!callback) return Promise.resolve();
    const event = statusChangeEvent(record, redriving);
    const previous = this.deliveries.get(record.executionArn) ?? Promise.resolve();
    const next = previous.then(async () => {
      try {
        await callback(event);
      } catch (err) {
        this.log(
          `Local Step Functions: status-change handler failed for ${record.executionArn} (${event.detail.status})`,
          err,
        );
      }
    });
    this.deliveries.set(record.executionArn, next);
    return next;
  }

  // --- registry, persistence -----------------------------------------------------------------------

  private register(config: LocalStateMachineConfig): void {
    if (this.machines.has(config.arn)) throw new Error(`State machine ${config.arn} is registered twice`);
    const original = asDefinition(config.definition, config.name);
    const definition = prepareDefinition(original);
    // Validates the definition (ASL schema, ARNs, paths) at start rather than at the first execution.
    const machine = new StateMachine(definition as unknown as StateMachineDefinition);
    const overrides = buildOverrides(
      config.name,
      definition,
      this.options.taskHandlers,
      this.waitMs,
      this.retryIntervalMs,
    );
    const [, , , region, account] = config.arn.split(':');
    this.machines.set(config.arn, {
      config,
      region: region || DEFAULT_REGION,
      account: account || DEFAULT_ACCOUNT,
      definition,
      topLevelStates: new Set(Object.keys(definition.States)),
      machine,
      overrides,
      callbacks: callbackStates(original),
    });
  }

  private machine(arn: string): MachineEntry {
    const sm = this.machines.get(arn);
    if (sm) return sm;
    if (!arn.startsWith('arn:aws:states:') || !arn.includes(':stateMachine:')) {
      throw new StepFunctionsApiError('InvalidArn', `Invalid Arn: '${arn}'`);
    }
    throw new StepFunctionsApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
  }

  private record(arn: string): ExecutionRecord {
    const record = this.records.get(arn);
    if (record) return record;
    if (!arn.startsWith('arn:aws:states:') || !arn.includes(':execution:')) {
      throw new StepFunctionsApiError('InvalidArn', `Invalid Arn: '${arn}'`);
    }
    throw new StepFunctionsApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
  }

  private load(): void {
    const data = readJsonFile<{ executions?: ExecutionRecord[]; taskTokens?: TaskTokenRecord[] }>(
      this.options.persistPath,
      'Local Step Functions',
    );
    if (!data) return;
    this.tokens.load(data.taskTokens ?? []);
    const restarted: ExecutionRecord[] = [];
    for (const record of data.executions ?? []) {
      this.records.set(record.executionArn, record);
      const sm = this.machines.get(record.stateMachineArn);
      const waiting = this.tokens.pendingOf(record.executionArn);
      if (record.status === 'RUNNING' && sm && waiting.some((t) => t.stateName === record.lastState?.name)) {
        // It was waiting for a task token: wait again, with the same token and deadline.
        this.launch(record, sm, 'resume');
        continue;
      }
      if (record.status === 'RUNNING') {
        // The run died with the previous process: fail it where it was, so staff can redrive it.
        this.finish(record, {
          status: 'FAILED',
          error: 'Local.RuntimeRestarted',
          cause: 'The local runtime stopped while this execution was running',
        });
        restarted.push(record);
      }
    }
    this.persistNow();
    // Queued now (so they precede any later event of the same execution), delivered after construction.
    const afterConstruction = new Promise<void>((resolve) => setTimeout(resolve, 0));
    for (const record of restarted) {
      this.deliveries.set(record.executionArn, afterConstruction);
      void this.emit(record, false);
    }
  }

  private schedulePersist(): void {
    if (!this.options.persistPath || this.persistTimer || this.closed) return;
    this.persistTimer = setTimeout(() => this.persistNow(), PERSIST_DELAY_MS);
  }

  private persistNow(): void {
    const path = this.options.persistPath;
    if (!path) return;
    if (this.persistTimer) clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    try {
      writeJsonFile(path, { executions: [...this.records.values()], taskTokens: this.tokens.toJSON() });
    } catch (err) {
      this.log(`Local Step Functions: cannot write ${path}`, err);
    }
  }
}

// --- helpers -----------------------------------------------------------------------------------------

function describe(record: ExecutionRecord): ExecutionDescription {
  const { startDate, stopDate, redriveDate, history, lastState, ...rest } = record;
  const { redriveStatus, redriveStatusReason } = redriveState(record.status);
  const description: ExecutionDescription = {
    ...rest,
    startDate: new Date(startDate),
    redriveStatus,
    history: history.map((h) => ({ ...h })),
  };
  if (redriveStatusReason) description.redriveStatusReason = redriveStatusReason;
  if (stopDate !== undefined) description.stopDate = new Date(stopDate);
  if (redriveDate !== undefined) description.redriveDate = new Date(redriveDate);
  if (lastState) description.lastState = { name: lastState.name, input: jsonCopy(lastState.input) };
  for (const key of ['output', 'error', 'cause'] as const) {
    if (description[key] === undefined) delete description[key];
  }
  return description;
}

function redriveState(status: ExecutionStatus): {
  redriveStatus: 'REDRIVABLE' | 'NOT_REDRIVABLE';
  redriveStatusReason?: string;
} {
  return REDRIVABLE.has(status)
    ? { redriveStatus: 'REDRIVABLE' }
    : {
        redriveStatus: 'NOT_REDRIVABLE',
        redriveStatusReason: `Execution is ${status} and cannot be redriven`,
      };
}

function statusChangeEvent(record: ExecutionRecord, redriving: boolean): StepFunctionsStatusChangeEvent {
  const [, , , region, account] = record.executionArn.split(':');
  const { redriveStatus, redriveStatusReason } = redriveState(record.status);
  // AWS's own fixture for a redriven execution's RUNNING event says REDRIVE_IN_PROGRESS.
  const inProgress = redriving && record.status === 'RUNNING' && record.redriveCount > 0;
  const detail: StepFunctionsStatusChangeDetail = {
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: record.startDate,
    stopDate: record.stopDate ?? null,
    input: record.input,
    inputDetails: { included: true },
    output: record.output ?? null,
    outputDetails: record.output !== undefined ? { included: true } : null,
    error: record.error ?? null,
    cause: record.cause ?? null,
    stateMachineVersionArn: null,
    stateMachineAliasArn: null,
    redriveCount: record.redriveCount,
    redriveDate: record.redriveDate ?? null,
    redriveStatus: inProgress ? 'REDRIVE_IN_PROGRESS' : redriveStatus,
    redriveStatusReason: inProgress ? null : (redriveStatusReason ?? null),
  };
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: account || DEFAULT_ACCOUNT,
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: region || DEFAULT_REGION,
    resources: [record.executionArn],
    detail,
  };
}

function outcomeOf(err: unknown): Outcome {
  const name = err instanceof Error ? err.name : '';
  if (name === 'ExecutionAbortedError') return { status: 'ABORTED' };
  if (name === 'ExecutionTimeoutError') {
    return {
      status: 'TIMED_OUT',
      error: 'States.Timeout',
      cause: 'The execution exceeded its TimeoutSeconds',
    };
  }
  if (name === 'ExecutionError' && err instanceof Error && err.cause instanceof Error) {
    const inner = err.cause as Error & { cause?: unknown };
    return { status: 'FAILED', error: inner.name, cause: causeText(inner.cause ?? inner.message) };
  }
  return {
    status: 'FAILED',
    error: 'States.Runtime',
    cause: err instanceof Error ? err.message : String(err),
  };
}

function causeText(cause: unknown): string | undefined {
  if (cause === undefined || cause === null) return undefined;
  return typeof cause === 'string' ? cause : JSON.stringify(cause);
}

function normalizeInput(input: unknown): string {
  if (input === undefined) return '{}';
  if (typeof input === 'string') {
    try {
      JSON.parse(input);
    } catch {
      throw new StepFunctionsApiError(
        'InvalidExecutionInput',
        'Invalid State Machine Execution Input: not JSON',
      );
    }
    return input;
  }
  return JSON.stringify(input);
}

function sameJson(a: string, b: string): boolean {
  return a === b || JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
}

// AWS: 1-80 characters; no whitespace, brackets, wildcards, special or control characters.
const INVALID_NAME_CHARS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\p{Cc}]/u;

function validateName(name: string): void {
  if (name.length < 1 || name.length > 80 || INVALID_NAME_CHARS.test(name)) {
    throw new StepFunctionsApiError('InvalidName', `Invalid Name: '${name}'`);
  }
}

function findState(definition: AslDefinition, name: string) {
  for (const [n, state] of allStates(definition)) if (n === name) return state;
  throw new Error(`no state ${name}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
