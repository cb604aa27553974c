import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import type { Fault } from '../../infra/local/simulators/faults.js';
import { startTestStack, waitForStatus } from './support/api.js';
import {
  addFaults,
  attachExecutionArn,
  clearFaults,
  domainApi,
  domainOf,
  expectAtInwxOnce,
  failedAttach,
  holdAtInwx,
  type Json,
  registrant,
  until,
} from './support/domains.js';

// INWX faults while a custom domain is attached (register, transfer, owned): timeouts, 2400
// "Command failed", 2502 "Session limit exceeded" at login and HTTP 5xx are retried — inside the
// INWX session for logins and reads, by the state's Retry for writes — and the domain still goes
// live. `afterEffect` faults let INWX do the work and lose only the answer, so the re-run meets
// what the first run made. A fault that persists fails the attach execution for staff (the domain
// stays pending, the project live), and a redrive resumes it. Either way INWX ends up with the
// domain, its zone, its two records and its holder once.

let stack: LocalStack;
let staff: string;
let api: ReturnType<typeof domainApi>;
/** A live project the one-shot cases add their domains to, and the IP of its server. */
let live: string;
let liveIp: string;

/** The IP the project's technical subdomain points at: its server's. */
const serverIp = (fqdn: string) =>
  stack.inwx.records('vrs.gmbh').find((r) => r.name === fqdn && r.type === 'A')?.content ?? '(none)';

beforeAll(async () => {
  process.env.VRS_SIM_REGISTRATION_SECONDS = '0.3';
  process.env.VRS_SIM_TRANSFER_SECONDS = '0.3';
  // No scheduled jobs: only the flows (and the domain-sync runs below) call INWX, so each fault
  // hits the call it is meant for.
  stack = await startTestStack({ jobIntervalMs: 0 });
  staff = await stack.token('faults@vrs.gmbh', 'staff');
  api = domainApi(stack, staff);
  live = (await api.order({ type: 'subdomain', subdomain: 'stoerfest' }, 'Störfest')).body.project.id;
  await waitForStatus(stack, staff, live, ['active']);
  liveIp = serverIp('stoerfest.vrs.gmbh');
});
afterAll(async () => {
  // The last redeploy's satellite may still be bootstrapping through the API: let it finish first.
  if (stack) await until(() => stack.satellites.list().every((s) => s.state !== 'bootstrapping'), 10_000);
  await stack?.stop();
});
afterEach(async () => {
  await clearFaults(stack);
});

/** What AcquireDomain calls; faults on them must be used up before domain-sync (which logs in too) runs. */
const ACQUIRE = ['account.login', 'contact.create', 'domain.create', 'domain.transfer', 'domain.info'];

/** State retries of an execution, by state. */
async function retriesOf(arn: string): Promise<Record<string, number>> {
  const done = await stack.stepFunctions.waitForExecution(arn);
  expect(done.status).toBe('SUCCEEDED');
  const retries: Record<string, number> = {};
  for (const e of done.history)
    if (e.type === 'StateRetried' && e.state) retries[e.state] = (retries[e.state] ?? 0) + 1;
  return retries;
}

describe('one-shot INWX faults while attaching are retried, and nothing is made twice', () => {
  /**
   * Adds `domain` to the live project with these faults (each once, in this order per method)
   * and waits until it is active. Returns the state retries of its attach execution.
   */
  async function attachThrough(domain: Json, faults: Omit<Fault, 'service' | 'times'>[]) {
    await addFaults(
      stack,
      faults.map((f) => ({ service: 'inwx', times: 1, ...f })),
    );
    await api.addDomain(live, domain);
    await until(
      () => !stack.faults.list().some((f) => ACQUIRE.includes(f.operation ?? '')),
      20_000,
      'AcquireDomain met its faults',
    );
    const project = await api.syncUntil(live, domain.domain, ['active', 'failed'], 30_000);
    expect(domainOf(project, domain.domain)).toMatchObject({ status: 'active', failureReason: null });
    expect(project.status).toBe('active');
    expect(stack.faults.list(), 'every fault hit a call').toEqual([]);
    const alarms = stack.mailbox.list().filter((m) => m.subject.includes(`fehlgeschlagen: ${domain.domain}`));
    expect(alarms, 'no staff mail for what the retries absorbed').toEqual([]);
    return retriesOf(attachExecutionArn(stack, live, domain.domain));
  }

  it('a registration: 2502 at login, contact and domain created but answered with 500 / a timeout, 2400 on the zone, a lost record answer', async () => {
    const holder = { ...registrant, email: 'holder@stoerfest-bau.example' };
    const retries = await attachThrough(
      { type: 'register', domain: 'stoerfest-bau.de', registrant: holder },
      [
        { operation: 'account.login', mode: 'error', code: 2502 },
        { operation: 'contact.create', mode: 'http_500', afterEffect: true },
        { operation: 'domain.create', mode: 'timeout', afterEffect: true },
        { operation: 'nameserver.create', mode: 'error' },
        { operation: 'nameserver.createRecord', mode: 'http_500', afterEffect: true },
      ],
    );
    // The login was tried again inside the session; each write failed its task once.
    expect(retries).toEqual({ AcquireDomain: 2, ConfigureDomainDns: 2 });
    expectAtInwxOnce(stack, 'stoerfest-bau.de', liveIp, holder.email);
  });

  it('a transfer: HTTP 500 at login, 2400 and then a timeout after INWX took the transfer, a lost zone answer, HTTP 500 on a record', async () => {
    const retries = await attachThrough(
      { type: 'transfer', domain: 'taken-stoerfest.de', authCode: 'Code-1!' },
      [
        { operation: 'account.login', mode: 'http_500' },
        { operation: 'domain.transfer', mode: 'error', code: 2400 },
        { operation: 'domain.transfer', mode: 'timeout', afterEffect: true },
        { operation: 'nameserver.create', mode: 'http_500', afterEffect: true },
        { operation: 'nameserver.createRecord', mode: 'http_500' },
      ],
    );
    expect(retries).toEqual({ AcquireDomain: 2, ConfigureDomainDns: 2 });
    expectAtInwxOnce(stack, 'taken-stoerfest.de', liveIp);
  });

  it('a domain we hold: a login timeout and a 500 on domain.info (retried in the session), 2400 on a record', async () => {
    await holdAtInwx(stack, 'stoerfest-eigen.de');
    const retries = await attachThrough({ type: 'owned', domain: 'stoerfest-eigen.de' }, [
      { operation: 'account.login', mode: 'timeout' },
      { operation: 'domain.info', mode: 'http_500' },
      { operation: 'nameserver.createRecord', mode: 'error' },
    ]);
    expect(retries).toEqual({ ConfigureDomainDns: 1 });
    expectAtInwxOnce(stack, 'stoerfest-eigen.de', liveIp);
  });
});

describe('a persistent INWX fault while attaching', () => {
  /** The project is live on its technical subdomain; the domain pending, without a failure for the customer. */
  async function expectPendingWhileLive(id: string, technical: string, domain: string, status: string) {
    const project = await api.getProject(id);
    expect(project.status).toBe('active');
    expect(domainOf(project, technical)).toMatchObject({ status: 'active', isPrimary: true });
    expect(domainOf(project, domain)).toMatchObject({ status, isPrimary: false, failureReason: null });
  }

  const staffMailFor = (domain: string) =>
    stack.mailbox.waitFor(
      (m) =>
        m.to.includes('staff@vrs.gmbh') && m.subject.includes(`Domain-Anbindung fehlgeschlagen: ${domain}`),
    );

  it('at the registration fails the attach execution for staff; a console redrive registers it once', async () => {
    await addFaults(stack, [{ service: 'inwx', operation: 'domain.create', mode: 'http_500', times: 20 }]);
    const holder = { ...registrant, email: 'holder@stoerung-bau.example' };
    const res = await api.order(
      { type: 'register', domain: 'stoerung-bau.de', registrant: holder },
      'Störung',
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const id = res.body.project.id as string;
    await waitForStatus(stack, staff, id, ['active']);

    const failed = await failedAttach(stack, id, 'stoerung-bau.de');
    expect(failed).toMatchObject({
      status: 'FAILED',
      error: 'Transient',
      lastState: { name: 'AcquireDomain' },
    });
    expect(failed.cause).toContain('domain.create: HTTP 500');
    await staffMailFor('stoerung-bau.de');
    await expectPendingWhileLive(id, 'stoerung-bau.vrs.gmbh', 'stoerung-bau.de', 'pending_registration');

    await clearFaults(stack);
    await stack.stepFunctions.redriveExecution({ executionArn: failed.executionArn }); // as from the console
    const project = await api.syncUntil(id, 'stoerung-bau.de', ['active', 'failed']);
    expect(domainOf(project, 'stoerung-bau.de')).toMatchObject({ status: 'active', isPrimary: true });
    expectAtInwxOnce(stack, 'stoerung-bau.de', serverIp('stoerung-bau.vrs.gmbh'), holder.email);
  });

  it('after the transfer (2400 on every record) fails at ConfigureDomainDns; the redrive resumes there without transferring again', async () => {
    await addFaults(stack, [{ service: 'inwx', operation: 'nameserver.createRecord', mode: 'error' }]);
    await api.addDomain(live, { type: 'transfer', domain: 'taken-dauerstoerung.de', authCode: 'Code-2!' });

    const failed = await failedAttach(stack, live, 'taken-dauerstoerung.de', { sync: true });
    expect(failed).toMatchObject({
      status: 'FAILED',
      error: 'Transient',
      lastState: { name: 'ConfigureDomainDns' },
    });
    expect(failed.cause).toContain('nameserver.createRecord: Command failed (code 2400)');
    const mail = await staffMailFor('taken-dauerstoerung.de');
    expect(mail.text).toContain('code 2400');
    await expectPendingWhileLive(live, 'stoerfest.vrs.gmbh', 'taken-dauerstoerung.de', 'pending_transfer');
    const transfers = stack.inwx.stats().calls['domain.transfer'];

    await clearFaults(stack);
    await stack.stepFunctions.redriveExecution({ executionArn: failed.executionArn });
    const project = await api.syncUntil(live, 'taken-dauerstoerung.de', ['active', 'failed']);
    expect(domainOf(project, 'taken-dauerstoerung.de')).toMatchObject({
      status: 'active',
      failureReason: null,
    });
    expect(stack.inwx.stats().calls['domain.transfer']).toBe(transfers);
    expectAtInwxOnce(stack, 'taken-dauerstoerung.de', liveIp);
  });
});
