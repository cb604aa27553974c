import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { awsClientOptions } from '../../shared/platform/aws-client-options.js';
import { api, orderBody, startTestStack, waitForStatus } from './support/api.js';

// Failures end the execution at the failing task; the project shows `error`, staff get a mail, and
// a retry (API) or a redrive (console) resumes at that task — without duplicating anything.

let stack: LocalStack;
let staff: string;
let call: ReturnType<typeof api>['call'];

beforeAll(async () => {
  stack = await startTestStack();
  call = api(stack).call;
  staff = await stack.token('staff@vrs.gmbh', 'staff');
});
afterAll(async () => {
  await stack?.stop();
});
beforeEach(async () => {
  await call('DELETE', '/sim/faults');
});

async function order(subdomain: string): Promise<string> {
  const res = await call<{ project: { id: string } }>('POST', '/v1/projects', {
    token: staff,
    body: orderBody(subdomain),
  });
  expect(res.status).toBe(201);
  return res.body.project.id;
}

const dnsRecordsFor = (fqdn: string) =>
  stack.inwx.records('vrs.gmbh').filter((r) => r.name === fqdn || r.name === `www.${fqdn}`);
const appsFor = (projectId: string) =>
  stack.coolify.applications().filter((a) => a.name === `vrs-${projectId}`);

describe('a failure at Coolify', () => {
  it('sets the project to error and mails staff; after the fix a retry brings it to active with one record pair and one app', async () => {
    await call('POST', '/sim/faults', {
      body: { service: 'coolify', operation: 'POST /applications/dockerimage', mode: 'error' },
    });
    const id = await order('schulze');

    const failed = await waitForStatus(stack, staff, id, ['error', 'active']);
    expect(failed.status).toBe('error');
    expect(String(failed.provisioningError)).toMatch(/coolify/i);
    expect(failed.provisioningRetryCount).toBe(1);
    const staffMail = await stack.mailbox.waitFor(
      (m) => m.to.includes('staff@vrs.gmbh') && m.subject.includes('Steuerberater'),
    );
    expect(staffMail.text).toContain(id);

    await call('DELETE', '/sim/faults');
    const retry = await call<{ status: string; executionArn: string }>(
      'POST',
      `/v1/admin/projects/${id}/retry`,
      { token: staff },
    );
    expect(retry.status).toBe(202);
    expect(retry.body.status).toBe('provisioning');
    expect(retry.body.executionArn).toContain('deploy-project');

    const done = await waitForStatus(stack, staff, id, ['active', 'error']);
    expect(done.status).toBe('active');
    expect(done.provisioningError).toBeNull();
    expect(dnsRecordsFor('schulze.vrs.gmbh')).toHaveLength(2);
    expect(appsFor(id)).toHaveLength(1);
    expect(stack.coolify.projects().filter((p) => p.name === `vrs-${id}`)).toHaveLength(1);

    const logs = await call<{ items: { action: string }[] }>('GET', `/v1/projects/${id}/logs?limit=200`, {
      token: staff,
    });
    const actions = logs.body.items.map((l) => l.action);
    expect(actions).toContain('error');
    expect(actions).toContain('retry');

    const again = await call('POST', `/v1/admin/projects/${id}/retry`, { token: staff });
    expect(again.status).toBe(409);
  });

  it('a redrive from the console (no API call) also returns the project to its in-progress status', async () => {
    await call('POST', '/sim/faults', {
      body: { service: 'inwx', operation: 'nameserver.createRecord', mode: 'error' },
    });
    const id = await order('meier');
    const failed = await waitForStatus(stack, staff, id, ['error', 'active']);
    expect(failed.status).toBe('error');
    expect(failed.executionArn).toContain('provision-subdomain');

    await call('DELETE', '/sim/faults');
    await stack.stepFunctions.redriveExecution({ executionArn: String(failed.executionArn) });
    const done = await waitForStatus(stack, staff, id, ['active'], 30_000);
    expect(done.provisioningRetryCount).toBe(1);
    expect(dnsRecordsFor('meier.vrs.gmbh')).toHaveLength(2);
  });
});

describe('a Coolify that loses deployments', () => {
  it('queues a vanished deployment again once, then fails for staff; a retry after the fix goes live', async () => {
    await call('POST', '/sim/faults', {
      body: { service: 'coolify', operation: 'GET /deployments/{uuid}', mode: 'http_404' },
    });
    const id = await order('neumann');

    const failed = await waitForStatus(stack, staff, id, ['error', 'active']);
    expect(failed.status).toBe('error');
    expect(String(failed.provisioningError)).toMatch(
      /vanished at Coolify twice; check Coolify, then redrive/,
    );
    const [app] = appsFor(id);
    const deployments = () => stack.coolify.deployments().filter((d) => d.application_uuid === app!.uuid);
    expect(deployments()).toHaveLength(2); // the first one and one more, not one per poll

    await call('DELETE', '/sim/faults');
    const retry = await call('POST', `/v1/admin/projects/${id}/retry`, { token: staff });
    expect(retry.status).toBe(202);
    const done = await waitForStatus(stack, staff, id, ['active', 'error']);
    expect(done.status).toBe('active');
    expect(deployments()).toHaveLength(2);
  });
});

describe('a failure at the welcome mail', () => {
  it('leaves the project in error (not active) and tells staff; a retry sends exactly one mail and activates it', async () => {
    // Every SendEmail the activation makes fails: the SDK's attempts in each of the task's attempts,
    // after the two the order makes itself (confirmation, provisioning started: logged, not fatal).
    const asl = JSON.parse(
      readFileSync(new URL('../../state-machines/deploy-project.asl.json', import.meta.url), 'utf8'),
    ) as { States: { ActivateProject: { Retry: { MaxAttempts: number }[] } } };
    const taskAttempts = 1 + asl.States.ActivateProject.Retry[0]!.MaxAttempts;
    await call('POST', '/sim/faults', {
      body: {
        service: 'mail',
        operation: 'SendEmail',
        mode: 'http_500',
        times: awsClientOptions.maxAttempts * (2 + taskAttempts),
      },
    });
    const id = await order('hoffmann');
    const welcome = () =>
      stack.mailbox
        .list()
        .filter(
          (m) =>
            m.to.includes('owner@example.com') &&
            m.subject.endsWith('ist bereit') &&
            m.text?.includes('hoffmann.vrs.gmbh'),
        );

    const failed = await waitForStatus(stack, staff, id, ['error', 'active']);
    expect(failed.status).toBe('error');
    expect(String(failed.provisioningError)).toMatch(/mail/i);
    const staffMail = await stack.mailbox.waitFor(
      (m) => m.to.includes('staff@vrs.gmbh') && m.text?.includes(id) === true,
    );
    expect(staffMail.subject).toContain('Steuerberater');
    expect(welcome()).toHaveLength(0);

    await call('DELETE', '/sim/faults');
    const retry = await call('POST', `/v1/admin/projects/${id}/retry`, { token: staff });
    expect(retry.status).toBe(202);
    const done = await waitForStatus(stack, staff, id, ['active', 'error']);
    expect(done.status).toBe('active');
    expect(welcome()).toHaveLength(1);
  });
});

describe('transient errors', () => {
  it('are retried inside the task: one INWX 500 does not fail the project', async () => {
    await call('POST', '/sim/faults', {
      body: { service: 'inwx', operation: 'nameserver.createRecord', mode: 'http_500', times: 1 },
    });
    const id = await order('krause');
    const done = await waitForStatus(stack, staff, id, ['active', 'error']);
    expect(done.status).toBe('active');
    expect(done.provisioningRetryCount).toBe(0);
    expect(dnsRecordsFor('krause.vrs.gmbh')).toHaveLength(2);
  });

  it('a mail service hiccup at the welcome mail is retried; the owner gets exactly one mail', async () => {
    await call('POST', '/sim/faults', {
      body: { service: 'mail', operation: 'SendEmail', mode: 'http_500', times: 1 },
    });
    const id = await order('becker');
    const done = await waitForStatus(stack, staff, id, ['active', 'error']);
    expect(done.status).toBe('active');
    await stack.mailbox.waitFor(
      (m) =>
        m.to.includes('owner@example.com') &&
        m.subject.endsWith('ist bereit') &&
        m.text?.includes('becker.vrs.gmbh') === true,
    );
    const welcome = stack.mailbox
      .list()
      .filter(
        (m) =>
          m.to.includes('owner@example.com') &&
          m.subject.endsWith('ist bereit') &&
          m.text?.includes('becker.vrs.gmbh'),
      );
    expect(welcome).toHaveLength(1);
  });

  it('that persist fail the project within 60 seconds', async () => {
    await call('POST', '/sim/faults', {
      body: { service: 'coolify', operation: 'POST /deploy', mode: 'http_500' },
    });
    const started = Date.now();
    const id = await order('wagner');
    const failed = await waitForStatus(stack, staff, id, ['error', 'active'], 60_000);
    expect(failed.status).toBe('error');
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(String(failed.provisioningError)).toMatch(/^Transient: coolify: /);
  });
});

describe('a draft started by hand', () => {
  it('waits untouched until staff start it; then it goes live once, however often they ask', async () => {
    const res = await call<{ project: { id: string; status: string } }>('POST', '/v1/projects', {
      token: staff,
      body: orderBody('entwurf', { startProvisioning: false }),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const id = res.body.project.id;
    expect(res.body.project.status).toBe('draft');
    // The reconcile job leaves a draft alone: nothing runs, nothing fails.
    await stack.runJob('reconcile', { now: new Date(Date.now() + 3_600_000).toISOString() });
    const runs = async () =>
      (
        await stack.stepFunctions.listExecutions({
          stateMachineArn: stack.stateMachineArns['provision-subdomain'],
        })
      ).executions.filter((e) => e.name.startsWith(id));
    expect(await runs()).toEqual([]);
    expect((await call<{ status: string }>('GET', `/v1/projects/${id}`, { token: staff })).body.status).toBe(
      'draft',
    );

    const customer = await stack.token('owner@example.com', 'customer');
    expect((await call('POST', `/v1/admin/projects/${id}/provision`, { token: customer })).status).toBe(403);
    const starts = await Promise.all(
      [1, 2, 3].map(() => call('POST', `/v1/admin/projects/${id}/provision`, { token: staff })),
    );
    expect(starts.map((s) => s.status)).toEqual([202, 202, 202]);
    expect((await waitForStatus(stack, staff, id, ['active', 'error'], 60_000)).status).toBe('active');
    expect(await runs()).toHaveLength(1);
    expect(appsFor(id)).toHaveLength(1);

    // Live now: nothing to start by hand any more.
    const again = await call<{ detail: string }>('POST', `/v1/admin/projects/${id}/provision`, {
      token: staff,
    });
    expect(again.status).toBe(409);
  });
});
