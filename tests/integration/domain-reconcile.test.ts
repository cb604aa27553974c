import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { InwxClient } from '../../shared/integrations/inwx/inwx-client.js';
import { api, orderBody, startTestStack, waitForStatus } from './support/api.js';
import { projectItemWriter } from './support/project-item.js';

// Nothing is stuck unseen, for custom domains: the reconcile job starts the attach-domain execution
// of a pending domain whose start was lost, and leaves a running one alone, and a failed one to
// staff (who were mailed and redrive it).

let stack: LocalStack;
let call: ReturnType<typeof api>['call'];
let staff: string;
let inwx: InwxClient;
let items: ReturnType<typeof projectItemWriter>;

beforeAll(async () => {
  process.env.VRS_SIM_REGISTRATION_SECONDS = '0.3';
  // A transfer stays pending for the whole file: its execution waits on the registry meanwhile.
  process.env.VRS_SIM_TRANSFER_SECONDS = '3600';
  stack = await startTestStack();
  ({ call } = api(stack));
  staff = await stack.token('domains@vrs.gmbh', 'staff');
  items = projectItemWriter(stack);
  inwx = new InwxClient({ url: `${stack.url}/sim/inwx/xmlrpc/`, user: 'test', pass: 'test' });
  const holder = await inwx.ensureContact({
    type: 'PERSON',
    name: 'Olaf Eigen',
    street: 'Markt 3',
    city: 'Trier',
    postalCode: '54290',
    countryCode: 'DE',
    email: 'olaf@example.com',
    phone: '+49 651 123456',
  });
  for (const domain of ['verloren-start.de', 'gestoert-start.de', 'wiederholt-start.de'])
    await inwx.createDomain({
      domain,
      period: '1Y',
      registrant: holder,
      admin: holder,
      tech: holder,
      billing: holder,
    });
  await new Promise((r) => setTimeout(r, 400));
  await stack.runJob('domain-sync'); // orders of owned domains check the account copy
});
afterAll(async () => {
  delete process.env.VRS_SIM_TRANSFER_SECONDS;
  await inwx?.logout();
  items?.close();
  await stack?.stop();
});
beforeEach(async () => {
  await call('DELETE', '/sim/faults');
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field in the test
type Json = Record<string, any>;
const fault = (body: Record<string, unknown>) => call('POST', '/sim/faults', { body });
const tenMinutesOn = () => new Date(Date.now() + 10 * 60_000).toISOString();
const reconcile = async () =>
  (await call<{ result: Json }>('POST', '/local/jobs/reconcile', { body: { now: tenMinutesOn() } })).body
    .result;
const domainOf = async (id: string, domain: string) =>
  ((await call<Json>('GET', `/v1/projects/${id}`, { token: staff })).body.domains as Json[]).find(
    (d) => d.domain === domain,
  );
const attachExecutions = async (id: string) =>
  (
    await stack.stepFunctions.listExecutions({ stateMachineArn: stack.stateMachineArns['attach-domain'] })
  ).executions.filter((e) => e.name.startsWith(id));

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; ; ) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function liveProject(name: string, domain: Json): Promise<string> {
  const res = await call<Json>('POST', '/v1/projects', {
    token: staff,
    body: orderBody(name, { name, domain }),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const id = res.body.project.id as string;
  expect((await waitForStatus(stack, staff, id, ['active', 'error'], 60_000)).status).toBe('active');
  return id;
}

describe('a pending custom domain whose attach execution never started', () => {
  it('is started by the reconcile job, and goes live', async () => {
    const id = await liveProject('verloren-basis', { type: 'subdomain', subdomain: 'verloren-basis' });
    // The domain is stored, then Step Functions refuses the start (as if the call crashed there).
    await fault({ service: 'stepfunctions', operation: 'StartExecution', mode: 'error', times: 1 });
    const added = await call('POST', `/v1/projects/${id}/domains`, {
      token: staff,
      body: { type: 'owned', domain: 'verloren-start.de' },
    });
    expect(added.status).toBe(503);
    expect(await domainOf(id, 'verloren-start.de')).toMatchObject({ status: 'pending_dns' });
    expect(await attachExecutions(id)).toEqual([]);

    const run = await reconcile();
    expect(run.domains.started).toEqual([`${id}/verloren-start.de`]);
    await until('the domain is live', async () =>
      (await domainOf(id, 'verloren-start.de'))?.status === 'active' ? true : undefined,
    );
    expect((await attachExecutions(id)).map((e) => e.name.split('-').pop())).toEqual(['1']);
    const logs = await call<Json>('GET', `/v1/projects/${id}/logs`, { token: staff });
    expect((logs.body.items as Json[]).map((l) => l.action)).toContain('domain_attach_started');

    expect((await reconcile()).domains.started).toEqual([]);

    // Should the domain be pending again after its execution ended (a step that did not hold),
    // staff hear of it once; nothing is started.
    await items.overwriteDomain(id, 'verloren-start.de', {
      status: 'pending_dns',
      gsi1pk: 'DOMAINSTATUS#pending_dns',
    });
    expect((await reconcile()).domains).toMatchObject({ started: [], reported: [`${id}/verloren-start.de`] });
    const stalled = (m: { subject: string }) =>
      m.subject.includes('Domain-Anbindung hängt: verloren-start.de');
    await stack.mailbox.waitFor(stalled);
    expect((await reconcile()).domains).toMatchObject({ started: [], reported: [] });
    expect(stack.mailbox.list().filter(stalled)).toHaveLength(1);
  });
});

describe('a domain sent again after a 503', () => {
  it("is the same request: 202 and one attach flow; another kind for it is a 409 saying it is this project's", async () => {
    const id = await liveProject('wiederholt-basis', { type: 'subdomain', subdomain: 'wiederholt-basis' });
    await fault({ service: 'stepfunctions', operation: 'StartExecution', mode: 'error', times: 1 });
    const body = { type: 'owned', domain: 'wiederholt-start.de' };
    expect((await call('POST', `/v1/projects/${id}/domains`, { token: staff, body })).status).toBe(503);

    const again = await call<Json>('POST', `/v1/projects/${id}/domains`, { token: staff, body });
    expect(again.status).toBe(202);
    expect(again.body.domain).toMatchObject({ domain: 'wiederholt-start.de', status: 'pending_dns' });
    await until('the domain is live', async () =>
      (await domainOf(id, 'wiederholt-start.de'))?.status === 'active' ? true : undefined,
    );
    expect((await attachExecutions(id)).map((e) => e.name.split('-').pop())).toEqual(['1']);

    const other = await call<Json>('POST', `/v1/projects/${id}/domains`, {
      token: staff,
      body: { type: 'transfer', domain: 'wiederholt-start.de', authCode: 'Code-1' },
    });
    expect(other.status).toBe(409);
    expect(other.body.errors).toEqual([
      { path: 'domain', message: 'already a domain of this project (owned, active)' },
    ]);
  });
});

describe('a pending custom domain with an attach execution', () => {
  it('is left alone while it runs (a transfer waiting on the registry), and left to staff once it failed', async () => {
    const waiting = await liveProject('Wartet', {
      type: 'transfer',
      domain: 'taken-wartet.de',
      authCode: 'Code-1',
    });
    await until('the transfer waits on the registry', async () =>
      (await attachExecutions(waiting))[0]?.status === 'RUNNING' &&
      (await domainOf(waiting, 'taken-wartet.de'))?.status === 'pending_transfer'
        ? true
        : undefined,
    );

    await fault({ service: 'inwx', operation: 'domain.info', mode: 'http_500', times: 20 });
    const failing = await liveProject('Gestoert', { type: 'owned', domain: 'gestoert-start.de' });
    const failed = await until('the attach execution failed', async () =>
      (await attachExecutions(failing)).find((e) => e.status === 'FAILED'),
    );
    await stack.mailbox.waitFor((m) =>
      m.subject.includes('Domain-Anbindung fehlgeschlagen: gestoert-start.de'),
    );
    await call('DELETE', '/sim/faults');

    const run = await reconcile();
    expect(run.domains.checked).toBeGreaterThanOrEqual(2);
    expect(run.domains).toMatchObject({ started: [], reported: [] });
    const [stillFailed] = await attachExecutions(failing);
    expect(stillFailed).toMatchObject({ executionArn: failed.executionArn, status: 'FAILED' });
    expect(
      (await stack.stepFunctions.describeExecution({ executionArn: failed.executionArn })).redriveCount ?? 0,
    ).toBe(0);
    expect((await attachExecutions(waiting)).map((e) => e.status)).toEqual(['RUNNING']);
    expect(await domainOf(failing, 'gestoert-start.de')).toMatchObject({ status: 'pending_dns' });
  });
});
