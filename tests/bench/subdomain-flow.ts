import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.js';
import { orderBody } from '../integration/support/api.js';
import { addCoolifyFleet } from '../support/coolify-fleet.js';

// Orders subdomain projects through the HTTP API of an in-process local stack, one after another,
// exactly as a client would, and measures POST → active and the Step Functions state transitions.

export interface ExecutionFigure {
  machine: string;
  name: string;
  status: string;
  stateTransitions: number;
  redriveCount: number;
  /** StateEntered events per state name (from the execution history). */
  entered: Record<string, number>;
}

export interface FlowRun {
  run: number;
  subdomain: string;
  projectId: string | null;
  /** Last status the API reported (active, error, or whatever it was when we gave up). */
  finalStatus: string;
  /** POST sent → first GET that reported `active`; null when the project never got there. */
  wallMs: number | null;
  polls: number;
  executions: ExecutionFigure[];
  /** Sum of `stateTransitions` over the project's executions. */
  transitions: number;
  problem?: string;
}

export interface FlowOptions {
  runs: number;
  pollIntervalMs: number;
  /** Give up on one project after this long. */
  timeoutMs: number;
}

/** What one provisioning asked of Coolify while `otherApps` other applications were there. */
export interface CoolifyCost {
  otherApps: number;
  calls: number;
  /** Elements of every list Coolify answered with (grows with the fleet when we list it). */
  listedItems: number;
}

export interface FlowResult {
  startupMs: number;
  runs: FlowRun[];
  /** Run 1 (empty Coolify), then one more order among `FLEET_SIZE` other applications. */
  coolify: CoolifyCost[];
}

export const FLEET_SIZE = 500;

interface ProjectBody {
  id?: string;
  status?: string;
  provisioningError?: unknown;
}

export async function runSubdomainFlow(options: FlowOptions): Promise<FlowResult> {
  const t0 = performance.now();
  const stack = await startLocalStack({ port: 0, waitMs: 0, retryIntervalMs: 0, deployDurationMs: 0 });
  const startupMs = performance.now() - t0;
  const runs: FlowRun[] = [];
  const coolify: CoolifyCost[] = [];
  try {
    const token = await stack.token('bench-staff@vrs.gmbh', 'staff');
    const tag = Date.now().toString(36);
    for (let i = 1; i <= options.runs; i++) {
      const { result, cost } = await measured(stack, () =>
        orderOne(stack, token, `bench-${tag}-${i}`, i, options),
      );
      runs.push(result);
      if (i === 1) coolify.push(cost);
    }
    await addCoolifyFleet(stack, FLEET_SIZE - stack.coolify.applications().length);
    const { cost } = await measured(stack, () =>
      orderOne(stack, token, `bench-${tag}-fleet`, options.runs + 1, options),
    );
    coolify.push(cost);
  } finally {
    await stack.stop();
  }
  return { startupMs, runs, coolify };
}

/** The Coolify simulator's counters around one order. */
async function measured<T>(
  stack: LocalStack,
  order: () => Promise<T>,
): Promise<{ result: T; cost: CoolifyCost }> {
  const otherApps = stack.coolify.applications().length;
  const before = stack.coolify.usage();
  const result = await order();
  const after = stack.coolify.usage();
  const total = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);
  return {
    result,
    cost: {
      otherApps,
      calls: total(after.calls) - total(before.calls),
      listedItems: after.listedItems - before.listedItems,
    },
  };
}

async function orderOne(
  stack: LocalStack,
  token: string,
  subdomain: string,
  run: number,
  options: FlowOptions,
): Promise<FlowRun> {
  const result: FlowRun = {
    run,
    subdomain,
    projectId: null,
    finalStatus: 'not created',
    wallMs: null,
    polls: 0,
    executions: [],
    transitions: 0,
  };
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const body = orderBody(subdomain, { name: `Bench ${subdomain}` });

  const start = performance.now();
  const created = await fetch(`${stack.url}/v1/projects`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  const createdText = await created.text();
  if (created.status !== 201) {
    result.problem = `POST /v1/projects → ${created.status}: ${createdText.slice(0, 300)}`;
    return result;
  }
  const project = (JSON.parse(createdText) as { project?: ProjectBody }).project;
  if (!project?.id) {
    result.problem = `POST /v1/projects returned no project id: ${createdText.slice(0, 300)}`;
    return result;
  }
  const id = project.id;
  result.projectId = id;
  result.finalStatus = project.status ?? 'unknown';

  const deadline = start + options.timeoutMs;
  for (;;) {
    const res = await fetch(`${stack.url}/v1/projects/${encodeURIComponent(id)}`, { headers });
    const text = await res.text();
    result.polls += 1;
    if (res.status !== 200) {
      result.problem = `GET /v1/projects/${id} → ${res.status}: ${text.slice(0, 300)}`;
      break;
    }
    const parsed = JSON.parse(text) as ProjectBody & { project?: ProjectBody };
    const view = parsed.project ?? parsed;
    result.finalStatus = view.status ?? 'unknown';
    if (view.status === 'active') {
      result.wallMs = performance.now() - start;
      break;
    }
    if (view.status === 'error') {
      result.problem = `project ended in error: ${JSON.stringify(view.provisioningError ?? null)}`;
      break;
    }
    if (performance.now() > deadline) {
      result.problem = `still "${view.status}" after ${options.timeoutMs} ms`;
      break;
    }
    await sleep(options.pollIntervalMs);
  }

  result.executions = await executionsOf(stack, id);
  result.transitions = result.executions.reduce((sum, e) => sum + e.stateTransitions, 0);
  return result;
}

/** The project's executions (names start with its id), each awaited until it has finished. */
async function executionsOf(stack: LocalStack, projectId: string): Promise<ExecutionFigure[]> {
  const figures: ExecutionFigure[] = [];
  for (const [machine, stateMachineArn] of Object.entries(stack.stateMachineArns)) {
    let nextToken: string | undefined;
    do {
      const page = await stack.stepFunctions.listExecutions({
        stateMachineArn,
        maxResults: 1000,
        ...(nextToken ? { nextToken } : {}),
      });
      for (const item of page.executions) {
        if (!item.name.startsWith(`${projectId}-`)) continue;
        // The project turns active inside the last task; let the execution finish its last states.
        const done = await stack.stepFunctions
          .waitForExecution(item.executionArn, 10_000)
          .catch(() => stack.stepFunctions.describeExecution(item.executionArn));
        figures.push({
          machine,
          name: item.name,
          status: done.status,
          stateTransitions: done.stateTransitions,
          redriveCount: done.redriveCount,
          entered: enteredPerState(done.history),
        });
      }
      nextToken = page.nextToken;
    } while (nextToken);
  }
  return figures;
}

function enteredPerState(history: readonly { type: string; state?: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of history) {
    if (entry.type === 'StateEntered' && entry.state) counts[entry.state] = (counts[entry.state] ?? 0) + 1;
  }
  return counts;
}
