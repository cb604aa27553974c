import { TASK_TOKEN_PLACEHOLDER } from './task-tokens.js';
import type { TaskHandler } from './types.js';

// Walks an ASL (JSONPath) definition to build the state-name-keyed overrides that aws-local-stepfunctions
// wants, and prepares the copies the local runtime actually runs.

export interface AslState {
  Type?: string;
  Resource?: string;
  Parameters?: unknown;
  Retry?: unknown[];
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  Next?: string;
  Branches?: AslDefinition[];
  Iterator?: AslDefinition;
  ItemProcessor?: AslDefinition;
  [field: string]: unknown;
}

export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  TimeoutSeconds?: number;
  [field: string]: unknown;
}

type JsonHandler = (input: unknown) => Promise<unknown>;

export interface Overrides {
  taskResourceLocalHandlers: Record<string, JsonHandler>;
  waitTimeOverrides: Record<string, number>;
  retryIntervalOverrides: Record<string, number>;
}

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
/** A callback task: the Lambda gets `$$.Task.Token`, the state waits for SendTaskSuccess/Failure. */
export const LAMBDA_INVOKE_WAIT_FOR_TOKEN = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
/** Node timers overflow above 2^31-1 ms (they would fire at once), so longer timeouts are clamped. */
const MAX_TIMER_SECONDS = Math.floor(2_147_483_647 / 1000);
/** Tasks without TimeoutSeconds: AWS waits for the Lambda's own timeout (at most 15 minutes); the interpreter would use 60 s. */
const DEFAULT_TASK_TIMEOUT_SECONDS = 900;
/** Entry state added to a redrive copy so `$$.Execution.Input` stays the original input. */
export const REDRIVE_ENTRY_STATE = '__LocalRedriveEntry__';

export function asDefinition(definition: object, machineName: string): AslDefinition {
  const d = definition as Partial<AslDefinition>;
  if (typeof d.StartAt !== 'string' || typeof d.States !== 'object' || d.States === null) {
    throw new Error(`State machine ${machineName}: definition needs StartAt and States`);
  }
  return d as AslDefinition;
}

/** Every state, including those inside Parallel branches and Map item processors. */
export function* allStates(definition: AslDefinition): Generator<[string, AslState]> {
  for (const [name, state] of Object.entries(definition.States)) {
    yield [name, state];
    for (const branch of state.Branches ?? []) yield* allStates(branch);
    const inner = state.ItemProcessor ?? state.Iterator;
    if (inner) yield* allStates(inner);
  }
}

/** The Lambda function name in a function ARN, a `name:qualifier` or a plain name. */
export function functionNameOf(ref: string): string | undefined {
  if (ref.startsWith('arn:')) {
    const parts = ref.split(':');
    return parts[2] === 'lambda' && parts[5] === 'function' ? parts[6] : undefined;
  }
  return ref.split(':')[0];
}

export function resolveHandler(handlers: Record<string, TaskHandler>, ref: string): TaskHandler | undefined {
  const exact = handlers[ref];
  if (exact) return exact;
  const fn = functionNameOf(ref);
  if (!fn) return undefined;
  for (const [key, handler] of Object.entries(handlers)) {
    if (functionNameOf(key) === fn) return handler;
  }
  return undefined;
}

/**
 * Runs a handler the way Lambda would: a JSON copy of the input in, a JSON copy of the result out, and
 * a thrown error becomes a Step Functions error with the same name and a Lambda-style JSON cause.
 */
async function invoke(handler: TaskHandler, input: unknown): Promise<unknown> {
  let result: unknown;
  try {
    result = await handler(jsonCopy(input));
  } catch (err) {
    throw toStatesError(err);
  }
  return jsonCopy(result ?? null);
}

export function toStatesError(err: unknown): Error {
  const name = err instanceof Error ? err.name : 'Error';
  const message = err instanceof Error ? err.message : String(err);
  const trace = err instanceof Error && err.stack ? err.stack.split('\n') : [];
  // The message becomes the Cause (ExecutionFailed and Catch output), as on AWS for Lambda errors.
  const e = new Error(JSON.stringify({ errorType: name, errorMessage: message, trace }));
  e.name = name;
  return e;
}

export function jsonCopy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

export function buildOverrides(
  machineName: string,
  definition: AslDefinition,
  handlers: Record<string, TaskHandler>,
  waitMs: number,
  retryIntervalMs: number,
): Overrides {
  const overrides: Overrides = {
    taskResourceLocalHandlers: {},
    waitTimeOverrides: {},
    retryIntervalOverrides: {},
  };
  const seen = new Set<string>();
  for (const [name, state] of allStates(definition)) {
    // Overrides are keyed by state name, so names must be unique in the whole machine (AWS requires it too).
    if (seen.has(name)) throw new Error(`State machine ${machineName}: state name "${name}" is used twice`);
    seen.add(name);
    if (state.Type === 'Wait') overrides.waitTimeOverrides[name] = waitMs;
    if (Array.isArray(state.Retry) && state.Retry.length > 0)
      overrides.retryIntervalOverrides[name] = retryIntervalMs;
    if (state.Type === 'Task') {
      overrides.taskResourceLocalHandlers[name] = taskHandlerFor(machineName, name, state, handlers);
    }
  }
  return overrides;
}

function taskHandlerFor(
  machineName: string,
  stateName: string,
  state: AslState,
  handlers: Record<string, TaskHandler>,
): JsonHandler {
  const resource = state.Resource ?? '';
  const where = `State machine ${machineName}, state "${stateName}"`;
  const direct = handlers[resource];
  if (direct) return (input) => invoke(direct, input);

  if (resource === LAMBDA_INVOKE) return lambdaInvoke(where, state, handlers);
  if (resource === LAMBDA_INVOKE_WAIT_FOR_TOKEN) {
    // Checked here; the engine binds each run's handler to its execution (task-tokens.ts).
    lambdaInvoke(where, state, handlers);
    return () =>
      Promise.reject(new Error(`${where}: a callback task runs only with its execution's handler`));
  }

  const handler = resolveHandler(handlers, resource);
  if (!handler) throw new Error(`${where}: no local task handler for Resource ${resource || '(none)'}`);
  return (input) => invoke(handler, input);
}

/** The `lambda:invoke` integration: FunctionName and Payload from the evaluated Parameters. */
export function lambdaInvoke(
  where: string,
  state: AslState,
  handlers: Record<string, TaskHandler>,
): JsonHandler {
  const params = (state.Parameters ?? {}) as Record<string, unknown>;
  const staticName = params.FunctionName;
  if (typeof staticName === 'string' && !resolveHandler(handlers, staticName)) {
    throw new Error(`${where}: no local task handler for function ${staticName}`);
  }
  return async (input) => {
    const effective = (input ?? {}) as Record<string, unknown>;
    const fn = effective.FunctionName;
    const handler = typeof fn === 'string' ? resolveHandler(handlers, fn) : undefined;
    if (!handler) {
      throw Object.assign(new Error(`Function not found: ${String(fn)}`), {
        name: 'Lambda.ResourceNotFoundException',
      });
    }
    const payload = await invoke(handler, 'Payload' in effective ? effective.Payload : {});
    return { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 };
  };
}

/** Callback task states and their TimeoutSeconds (the engine enforces those itself). */
export function callbackStates(definition: AslDefinition): Map<string, number | undefined> {
  const found = new Map<string, number | undefined>();
  for (const [name, state] of allStates(definition)) {
    if (state.Type === 'Task' && state.Resource === LAMBDA_INVOKE_WAIT_FOR_TOKEN) {
      found.set(name, typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : undefined);
    }
  }
  return found;
}

/** `"x.$": "$$.Task.Token"` → `"x": placeholder`: the interpreter knows no `$$.Task`. */
function withTokenPlaceholder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withTokenPlaceholder);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) =>
      k.endsWith('.$') && v === '$$.Task.Token'
        ? [k.slice(0, -2), TASK_TOKEN_PLACEHOLDER]
        : [k, withTokenPlaceholder(v)],
    ),
  );
}

/** A deep copy with timeouts the local timers can honour. */
export function prepareDefinition(definition: AslDefinition): AslDefinition {
  const { TimeoutSeconds, ...rest } = jsonCopy(definition);
  const copy: AslDefinition =
    typeof TimeoutSeconds === 'number' && TimeoutSeconds <= MAX_TIMER_SECONDS
      ? { ...rest, TimeoutSeconds }
      : rest;
  for (const [, state] of allStates(copy)) {
    if (state.Type !== 'Task') continue;
    if (state.Resource === LAMBDA_INVOKE_WAIT_FOR_TOKEN) {
      // The engine times the wait itself (persisted deadline, so it survives a restart).
      state.Parameters = withTokenPlaceholder(state.Parameters);
      state.TimeoutSeconds = MAX_TIMER_SECONDS;
      delete state.HeartbeatSeconds;
      continue;
    }
    if (typeof state.TimeoutSeconds === 'number') {
      state.TimeoutSeconds = Math.min(state.TimeoutSeconds, MAX_TIMER_SECONDS);
    } else if (state.TimeoutSecondsPath === undefined) {
      state.TimeoutSeconds = DEFAULT_TASK_TIMEOUT_SECONDS;
    }
  }
  return copy;
}

/**
 * A copy of the definition that starts at `stateName` with `stateInput` while the run's input (and so
 * `$$.Execution.Input`) stays the original execution input: a Pass state whose Result is the state input.
 * The interpreter ignores a falsy Pass Result, so for those inputs the copy simply starts at the state.
 */
export function redriveDefinition(
  definition: AslDefinition,
  stateName: string,
  stateInput: unknown,
): { definition: AslDefinition; startWithStateInput: boolean } {
  const copy = { ...definition, States: { ...definition.States } };
  if (!stateInput) {
    copy.StartAt = stateName;
    return { definition: copy, startWithStateInput: true };
  }
  copy.States[REDRIVE_ENTRY_STATE] = { Type: 'Pass', Result: stateInput, Next: stateName };
  copy.StartAt = REDRIVE_ENTRY_STATE;
  return { definition: copy, startWithStateInput: false };
}
