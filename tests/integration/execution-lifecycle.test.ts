import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { api, orderBody, startTestStack, waitForStatus } from './support/api.js';
import { projectItemWriter } from './support/project-item.js';

// Nothing is stuck unseen, nothing runs twice: every in-progress project has a running execution
// or is in `error` with a reason staff can retry; status events count only in execution order and
// only for the project's current execution.

let stack: LocalStack;
let staff: string;
let call: ReturnType<typeof api>['call'];
let items: ReturnType<typeof projectItemWriter>;

beforeAll(async () => {
  stack = await startTestStack();
  call = api(stack).call;
  staff = await stack.token('staff@vrs.gmbh', 'staff');
  items = projectItemWriter(stack);
});
afterAll(async () => {
  items?.close();
  await stack?.stop();
});
beforeEach(async () => {
  await call('DELETE', '/sim/faults');
});

type Project = Record<string, unknown> & { status: string; executionArn: string | null };

async function order(subdomain: string): Promise<string> {
  const res = await call<{ project: { id: string } }>('POST', '/v1/projects', {
    token: staff,
    body: orderBody(subdomain),
  });
  expect(res.status).toBe(201);
  return res.body.project.id;
}
const project = async (id: string) =>
  (await call<Project>('GET', `/v1/projects/${id}`, { token: staff })).body;
const fault = (body: Record<string, unknown>) => call('POST', '/sim/faults', { body });

const executionsOf = async (id: string) => {
  const all = await Promise.all(
    Object.values(stack.stateMachineArns).map((arn) =>
      stack.stepFunctions.listExecutions({ stateMachineArn: arn, maxResults: 1000 }),
    ),
  );
  return all.flatMap((l) => l.executions).filter((e) => e.name.startsWith(id));
};

function statusEvent(executionArn: string, projectId: string, status: string, redriveCount: number) {
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    detail: {
      executionArn,
      name: executionArn.split(':').pop(),
      status,
      input: JSON.stringify({ projectId }),
      redriveCount,
      ...(status === 'FAILED' ? { error: 'Transient', cause: 'coolify: HTTP 500' } : {}),
    },
  };
}
const deliver = (event: unknown) => stack.invoke('events/execution-status-changed', event);

describe('an order whose execution never started', () => {
  it('is in error at once when Step Functions refuses the start, and a retry provisions it', async () => {
    await fault({ service: 'stepfunctions', operation: 'StartExecution', mode: 'error', times: 1 });
    const id = await order('startlos');
    const failed = await project(id);
    expect(failed.status).toBe('error');
    expect(String(failed.provisioningError)).toMatch(/could not be started/);

    expect((await call('POST', `/v1/admin/projects/${id}/retry`, { token: staff })).status).toBe(202);
    expect((await waitForStatus(stack, staff, id, ['active', 'error'])).status).toBe('active');
  });

  it('is found by the reconcile job after a crash left it pending, and staff are mailed', async () => {
    await fault({ service: 'stepfunctions', operation: 'StartExecution', mode: 'error', times: 1 });
    const id = await order('verloren');
    // The crash: the order is stored, nothing was started and nothing marked it.
    await items.overwrite(id, { status: 'pending_domain', gsi2pk: 'STATUS#pending_domain' }, [
      'provisioningError',
      'statusBeforeError',
    ]);
    expect((await project(id)).status).toBe('pending_domain');

    const now = new Date(Date.now() + 10 * 60_000).toISOString();
    const run = await call<{ result: { markedError: string[] } }>('POST', '/local/jobs/reconcile', {
      body: { now },
    });
    expect(run.status).toBe(200);
    expect(run.body.result.markedError).toContain(id);
    const stuck = await project(id);
    expect(stuck.status).toBe('error');
    expect(String(stuck.provisioningError)).toMatch(/never started/);
    await stack.mailbox.waitFor((m) => m.to.includes('staff@vrs.gmbh') && (m.text ?? '').includes(id));

    expect((await call('POST', `/v1/admin/projects/${id}/retry`, { token: staff })).status).toBe(202);
    expect((await waitForStatus(stack, staff, id, ['active', 'error'])).status).toBe('active');
  });

  it('leaves projects with a running execution alone', async () => {
    await fault({ service: 'coolify', operation: 'GET /deployments/{uuid}', mode: 'timeout' });
    const id = await order('laeuft');
    await waitForStatus(stack, staff, id, ['provisioning']);
    const now = new Date(Date.now() + 10 * 60_000).toISOString();
    const run = await call<{ result: { markedError: string[] } }>('POST', '/local/jobs/reconcile', {
      body: { now },
    });
    expect(run.body.result.markedError).not.toContain(id);
    expect((await project(id)).status).toBe('provisioning');
  });
});

describe('retry', () => {
  it('redrives a closed deploy execution instead of taking its name as "started"', async () => {
    await fault({ service: 'coolify', operation: 'POST /applications/dockerimage', mode: 'error' });
    const id = await order('namensgleich');
    const failed = await waitForStatus(stack, staff, id, ['error', 'active']);
    expect(failed.executionArn).toContain('deploy-project-1');
    // The record of which execution is current was lost: the retry starts from the domain flow.
    await items.overwrite(id, {}, ['executionArn', 'lastEventSeq']);
    await call('DELETE', '/sim/faults');

    expect((await call('POST', `/v1/admin/projects/${id}/retry`, { token: staff })).status).toBe(202);
    expect((await waitForStatus(stack, staff, id, ['active', 'error'])).status).toBe('active');
    const deploys = (await executionsOf(id)).filter((e) => e.name.includes('deploy-project'));
    expect(deploys.map((e) => [e.name.split('-').pop(), e.redriveCount])).toEqual([['1', 1]]);
    expect(stack.coolify.applications().filter((a) => a.name === `vrs-${id}`)).toHaveLength(1);
  });

  it('of a project whose execution is running answers 409 and starts nothing', async () => {
    await fault({ service: 'coolify', operation: 'GET /deployments/{uuid}', mode: 'timeout' });
    const id = await order('doppelt');
    await waitForStatus(stack, staff, id, ['provisioning']);
    // A lost race left the project in error while its execution still runs.
    await items.overwrite(id, { status: 'error', gsi2pk: 'STATUS#error', statusBeforeError: 'provisioning' });
    const before = await executionsOf(id);

    const retry = await call('POST', `/v1/admin/projects/${id}/retry`, { token: staff });
    expect(retry.status).toBe(409);
    expect(await executionsOf(id)).toHaveLength(before.length);
  });
});

describe('status events', () => {
  it('FAILED of a redrive arriving before its RUNNING leaves the project in error, not in progress', async () => {
    await fault({ service: 'coolify', operation: 'POST /applications/dockerimage', mode: 'error' });
    const id = await order('ueberholt');
    const failed = await waitForStatus(stack, staff, id, ['error', 'active']);
    const arn = String(failed.executionArn);

    expect(await deliver(statusEvent(arn, id, 'FAILED', 1))).toBe('applied');
    expect(await deliver(statusEvent(arn, id, 'RUNNING', 1))).toBe('stale');
    const after = await project(id);
    expect(after.status).toBe('error');
    expect(after.provisioningRetryCount).toBe(2);
    // A repeated delivery changes nothing either.
    expect(await deliver(statusEvent(arn, id, 'FAILED', 1))).toBe('stale');
    expect((await project(id)).provisioningRetryCount).toBe(2);
  });

  it('an event of an older execution does not touch the project', async () => {
    await fault({ service: 'coolify', operation: 'GET /deployments/{uuid}', mode: 'timeout' });
    const id = await order('veraltet');
    const running = await waitForStatus(stack, staff, id, ['provisioning']);
    const provisionArn = String(running.executionArn).replace(
      /:vrs-deploy-project:(.*)-deploy-project-1$/,
      ':vrs-provision-subdomain:$1-provision-subdomain-1',
    );
    await waitForExecution(id, 'deploy-project');

    expect(await deliver(statusEvent(provisionArn, id, 'ABORTED', 0))).toBe('stale');
    expect((await project(id)).status).toBe('provisioning');
  });

  it('a failure after the project went active is not silent: staff are mailed', async () => {
    const id = await order('spaetfehler');
    const active = await waitForStatus(stack, staff, id, ['active', 'error']);
    expect(active.status).toBe('active');
    const arn = String(active.executionArn);

    expect(await deliver(statusEvent(arn, id, 'FAILED', 0))).toBe('recorded');
    expect((await project(id)).status).toBe('active');
    await stack.mailbox.waitFor((m) => m.to.includes('staff@vrs.gmbh') && (m.text ?? '').includes(id));
  });
});

async function waitForExecution(id: string, flow: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const p = await project(id);
    if (String(p.executionArn).includes(flow)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no ${flow} execution for ${id}`);
}
