import '../../infra/local/engines/polyfills.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { stateMachines, taskFunctions } from '../../functions/tasks.js';
import { FUNCTION_TIMEOUT_SECONDS } from '../../infra/function-needs.js';
import { TRANSIENT } from '../../shared/platform/errors.js';

// Static checks on the ASL files: what the interpreter accepts, and the rules of
// docs/state-machines.md (placeholders, timeouts, retries of transient errors only, no Catch into
// Fail, bounded poll loops, the deploy phase once, no unreachable states).

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TIMEOUTS = ['Sandbox.Timedout', 'States.Timeout'];
const LAMBDA_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];
const ASL_DIR = join(ROOT, 'state-machines');

type Json = Record<string, unknown>;
interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: string;
}
interface ChoiceRule extends Json {
  Next?: string;
}
interface State extends Json {
  Type: string;
  Resource?: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: ChoiceRule[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Retry?: Retrier[];
  TimeoutSeconds?: number;
  Parameters?: Json;
}
interface Definition extends Json {
  StartAt: string;
  States: Record<string, State>;
}

const files = readdirSync(ASL_DIR)
  .filter((f) => !f.startsWith('.'))
  .sort();
const raw = (file: string) => readFileSync(join(ASL_DIR, file), 'utf8');
const parse = (file: string) => JSON.parse(raw(file)) as Definition;

const PLACEHOLDER = /\$\{([^}]*)\}/g;
const dummyArn = (name: string) => `arn:aws:lambda:eu-central-1:000000000000:function:x-${name}`;
const substituted = (file: string) =>
  JSON.parse(
    raw(file).replace(PLACEHOLDER, (_whole, key: string) => {
      const name = /^(\w+)FunctionArn$/.exec(key)?.[1];
      return dummyArn(name ?? key);
    }),
  ) as Definition;

const CALLBACK = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
/** Task states that run one of our functions and wait for it (not callback tasks). */
const tasks = (d: Definition) =>
  Object.entries(d.States).filter(([, s]) => s.Type === 'Task' && s.Resource !== CALLBACK);
/** Callback tasks: hand a task token to one of our functions, then wait (the domain-sync job answers). */
const callbacks = (d: Definition) =>
  Object.entries(d.States).filter(([, s]) => s.Type === 'Task' && s.Resource === CALLBACK);
const successors = (s: State): string[] => [
  ...(s.Next ? [s.Next] : []),
  ...(s.Default ? [s.Default] : []),
  ...(s.Choices ?? []).flatMap((c) => (c.Next ? [c.Next] : [])),
  ...(s.Catch ?? []).map((c) => c.Next),
];
function reachable(d: Definition, from: string): Set<string> {
  const seen = new Set<string>();
  const todo = [from];
  while (todo.length) {
    const name = todo.pop()!;
    if (seen.has(name) || !d.States[name]) continue;
    seen.add(name);
    todo.push(...successors(d.States[name]));
  }
  return seen;
}

it('every ASL file is a state machine of functions/tasks.ts and vice versa', () => {
  expect(files.length).toBeGreaterThan(0);
  for (const f of files) expect(f).toMatch(/\.asl\.json$/);
  expect([...Object.values(stateMachines)].sort()).toEqual(files);
});

it('the validator is really on: it rejects a Next to a missing state', () => {
  const broken = {
    StartAt: 'A',
    States: { A: { Type: 'Task', Resource: dummyArn('A'), Next: 'Nowhere' } },
  };
  expect(() => new StateMachine(broken as unknown as StateMachineDefinition)).toThrow();
});

describe.each(files)('%s', (file) => {
  it('is valid JSON', () => {
    expect(() => JSON.parse(raw(file))).not.toThrow();
  });

  it('passes the aws-local-stepfunctions validator with function ARNs substituted', () => {
    const d = substituted(file);
    expect(JSON.stringify(d)).not.toContain('${');
    expect(() => new StateMachine(d as unknown as StateMachineDefinition)).not.toThrow();
  });

  it('uses the JSONPath query language', () => {
    const d = parse(file);
    expect([undefined, 'JSONPath']).toContain(d.QueryLanguage);
    for (const [name, s] of Object.entries(d.States)) {
      expect([undefined, 'JSONPath'], name).toContain(s.QueryLanguage);
    }
  });

  it('has only <Task>FunctionArn placeholders, and every Task uses one as its Resource', () => {
    const keys = [...raw(file).matchAll(PLACEHOLDER)].map((m) => m[1]!);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      const name = /^(\w+)FunctionArn$/.exec(key)?.[1];
      expect(name, `placeholder \${${key}}`).toBeDefined();
      expect(Object.keys(taskFunctions), `placeholder \${${key}}`).toContain(name);
    }
    const d = parse(file);
    expect(tasks(d).length).toBeGreaterThan(0);
    for (const [name, s] of tasks(d)) {
      expect(s.Resource, name).toMatch(/^\$\{\w+FunctionArn\}$/);
    }
  });

  it('gives every Task one short Retry: the transient name, task timeouts and Lambda errors, ≤ 3 attempts, full jitter, doubling', () => {
    for (const [name, s] of tasks(parse(file))) {
      expect(s.Retry, `${name}.Retry`).toHaveLength(1);
      const [r] = s.Retry!;
      expect(r!.ErrorEquals, `${name}.Retry.ErrorEquals`).toEqual([TRANSIENT, ...TIMEOUTS, ...LAMBDA_ERRORS]);
      // MaxAttempts defaults to 3 (4 attempts in all) when absent: it must be explicit.
      expect(r!.MaxAttempts, `${name}.Retry.MaxAttempts`).toBe(2);
      expect(r!.JitterStrategy, `${name}.Retry.JitterStrategy`).toBe('FULL');
      expect(r!.BackoffRate ?? 2.0, `${name}.Retry.BackoffRate`).toBeGreaterThanOrEqual(2);
    }
  });

  it('lets every Task run out of Lambda time before the state times out', () => {
    // A task that overruns ends as Sandbox.Timedout (retried) while the state still waits for it.
    for (const [name, s] of tasks(parse(file))) {
      expect(s.TimeoutSeconds, `${name}.TimeoutSeconds`).toBeGreaterThan(FUNCTION_TIMEOUT_SECONDS.task);
      expect(s.TimeoutSeconds, `${name}.TimeoutSeconds`).toBeLessThanOrEqual(
        FUNCTION_TIMEOUT_SECONDS.task + 30,
      );
    }
  });

  it('names every Task state after the task function it runs, so the console reads like the code', () => {
    for (const [name, s] of tasks(parse(file))) {
      expect(s.Resource, name).toBe(`\${${name}FunctionArn}`);
    }
  });

  it('has callback tasks only as Await<What> states: our function gets $$.Task.Token, Lambda errors are retried, the wait is bounded and its timeout caught', () => {
    for (const [name, s] of callbacks(parse(file))) {
      expect(name).toMatch(/^Await[A-Z]\w+$/);
      const params = s.Parameters as { FunctionName?: string; Payload?: Json };
      const fn = /^\$\{(\w+)FunctionArn\}$/.exec(params.FunctionName ?? '')?.[1];
      expect(Object.keys(taskFunctions), `${name}.FunctionName`).toContain(fn);
      expect(params.Payload?.['taskToken.$'], `${name} hands over the token`).toBe('$$.Task.Token');
      expect(
        s.Retry?.map((r) => r.ErrorEquals),
        `${name}.Retry`,
      ).toEqual([LAMBDA_ERRORS]);
      expect(s.TimeoutSeconds, `${name}.TimeoutSeconds`).toBeGreaterThanOrEqual(86_400);
      expect(s.TimeoutSeconds, `${name}.TimeoutSeconds`).toBeLessThanOrEqual(10 * 86_400);
      expect(
        s.Catch?.flatMap((c) => c.ErrorEquals),
        `${name}.Catch`,
      ).toContain('States.Timeout');
    }
  });

  it('has no Catch that routes to a Fail state', () => {
    const d = parse(file);
    for (const [name, s] of Object.entries(d.States)) {
      for (const c of s.Catch ?? []) {
        expect(d.States[c.Next]?.Type, `${name} catches into ${c.Next}`).not.toBe('Fail');
      }
    }
  });

  it('waits only for $.poll.waitSeconds, in a loop whose task can end it', () => {
    const d = parse(file);
    for (const [name, s] of Object.entries(d.States)) {
      if (s.Type !== 'Wait') continue;
      expect(s.SecondsPath, name).toBe('$.poll.waitSeconds');
      for (const f of ['Seconds', 'Timestamp', 'TimestampPath']) expect(s[f], `${name}.${f}`).toBeUndefined();
      // The loop: the states reachable from the Wait that lead back to it.
      const loop = [...reachable(d, s.Next!)].filter((n) => reachable(d, n).has(name));
      expect(loop, `${name} is not in a loop`).toContain(name);
      const loopTasks = loop.filter((n) => d.States[n]!.Type === 'Task');
      expect(loopTasks.length, `${name}: no Task in its loop`).toBeGreaterThan(0);
      for (const t of loopTasks) {
        // The task sees the poll state (attempt count) and the redrive count, so it can end the loop.
        expect(d.States[t]!.Parameters?.['poll.$'], `${t} Parameters.poll.$`).toBe('$.poll');
      }
      const exits = loop
        .filter((n) => d.States[n]!.Type === 'Choice')
        .flatMap((n) => d.States[n]!.Choices ?? [])
        .filter((c) => c.Variable === '$.poll.done' && c.Next && !loop.includes(c.Next));
      expect(exits.length, `${name}: no Choice on $.poll.done leaves its loop`).toBeGreaterThan(0);
    }
  });

  it('reaches every state from StartAt', () => {
    const d = parse(file);
    expect(d.States[d.StartAt], 'StartAt').toBeDefined();
    const seen = reachable(d, d.StartAt);
    expect(Object.keys(d.States).filter((n) => !seen.has(n))).toEqual([]);
    for (const [name, s] of Object.entries(d.States)) {
      for (const next of successors(s)) expect(Object.keys(d.States), `${name} → ${next}`).toContain(next);
    }
  });
});

describe('the deploy phase', () => {
  it('exists once: no state or task function of deploy-project appears in provision-subdomain', () => {
    const deploy = parse(stateMachines['deploy-project']);
    const provision = parse(stateMachines['provision-subdomain']);
    const deployStates = Object.keys(deploy.States);
    expect(Object.keys(provision.States).filter((n) => deployStates.includes(n))).toEqual([]);
    const deployResources = new Set(tasks(deploy).map(([, s]) => s.Resource));
    expect(tasks(provision).filter(([, s]) => deployResources.has(s.Resource))).toEqual([]);
  });
});
