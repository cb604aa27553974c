import { expect } from 'vitest';
import type { LocalStack } from '../../../infra/local/local-stack.js';
import type { Fault } from '../../../infra/local/simulators/faults.js';
import { attachExecutionName } from '../../../shared/domains/attach-runs.js';
import { InwxClient } from '../../../shared/integrations/inwx/inwx-client.js';
import { api, orderBody } from './api.js';

// Custom domains on the local stack, for the tests of the attach-domain flow: the registrant and
// the earlier customer they order with, ordering and syncing as the web UI and the scheduler do,
// INWX faults, and what the INWX simulator must hold once a domain is attached.

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field in the tests
export type Json = Record<string, any>;

export const registrant = {
  firstName: 'Erika',
  lastName: 'Müller',
  organization: 'Müller Bau GmbH',
  street: 'Hauptstraße 5',
  city: 'Köln',
  postalCode: '50667',
  countryCode: 'de',
  email: 'erika@mueller-bau.example',
  phone: '+49 221 1234567',
};

/** The holder of the domains we already hold (registered at INWX before the tests order them). */
export const earlierCustomer = {
  type: 'PERSON' as const,
  name: 'Alt Kunde',
  street: 'Weg 1',
  city: 'Bonn',
  postalCode: '53111',
  countryCode: 'DE',
  email: 'alt@example.com',
  phone: '+49 228 123456',
};

export const domainOf = (project: Json, domain: string): Json | undefined =>
  (project.domains as Json[]).find((d) => d.domain === domain);

export const inwxClient = (stack: LocalStack) =>
  new InwxClient({ url: `${stack.url}/sim/inwx/xmlrpc/`, user: 'test', pass: 'test' });

export function domainApi(stack: LocalStack, token: string) {
  const { call } = api(stack);
  const getProject = async (id: string) => (await call<Json>('GET', `/v1/projects/${id}`, { token })).body;

  return {
    getProject,

    /** Orders a project with this domain (`{ type, domain, ... }`) as staff. */
    async order(domain: Json, name = 'Müller Bau'): Promise<{ status: number; body: Json }> {
      const res = await call<Json>('POST', '/v1/projects', {
        token,
        body: orderBody('unused', { name, domain }),
      });
      return { status: res.status, body: res.body };
    },

    /** Adds a domain to a live project (POST /v1/projects/{id}/domains) → 202. */
    async addDomain(id: string, domain: Json): Promise<Json> {
      const res = await call<Json>('POST', `/v1/projects/${id}/domains`, { token, body: domain });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      return res.body;
    },

    /** Runs the domain-sync job until the domain reaches one of `statuses` (the registry takes a moment). */
    async syncUntil(id: string, domain: string, statuses: string[], timeoutMs = 20_000): Promise<Json> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const project = await getProject(id);
        const d = domainOf(project, domain);
        if (d && statuses.includes(d.status)) return project;
        if (Date.now() > deadline)
          throw new Error(`${domain} stayed ${d?.status}: ${JSON.stringify(project.domains)}`);
        await stack.runJob('domain-sync');
        await sleep(150);
      }
    },
  };
}

/** Puts a domain into our INWX account (held by the earlier customer) and lets domain-sync see it. */
export async function holdAtInwx(stack: LocalStack, domain: string): Promise<void> {
  const inwx = inwxClient(stack);
  const handle = await inwx.ensureContact(earlierCustomer);
  await inwx.createDomain({
    domain,
    period: '1Y',
    registrant: handle,
    admin: handle,
    tech: handle,
    billing: handle,
  });
  await inwx.logout();
  await until(() => stack.inwx.domains().some((d) => d.domain === domain && d.status === 'OK'), 5_000);
  // Orders of owned domains check our account as domain-sync last saw it.
  await stack.runJob('domain-sync');
}

export async function addFaults(stack: LocalStack, faults: Fault[]): Promise<void> {
  const { call } = api(stack);
  for (const fault of faults) {
    const res = await call('POST', '/sim/faults', { body: fault });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
}

export async function clearFaults(stack: LocalStack): Promise<void> {
  await api(stack).call('DELETE', '/sim/faults');
}

/** The ARN of the domain's (first) attach-domain execution. */
export function attachExecutionArn(stack: LocalStack, projectId: string, domain: string): string {
  const machine = stack.stateMachineArns['attach-domain'];
  return `${machine.replace(':stateMachine:', ':execution:')}:${attachExecutionName(projectId, domain, 1)}`;
}

/**
 * Waits until the domain's attach execution has failed (and its status event was handled);
 * `sync` runs domain-sync meanwhile, for a fault after the wait for the registry.
 */
export async function failedAttach(
  stack: LocalStack,
  projectId: string,
  domain: string,
  opts: { sync?: boolean; timeoutMs?: number } = {},
) {
  const arn = attachExecutionArn(stack, projectId, domain);
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    const execution = await stack.stepFunctions.describeExecution(arn).catch(() => undefined);
    if (execution && execution.status !== 'RUNNING') return stack.stepFunctions.waitForExecution(arn);
    if (Date.now() > deadline) throw new Error(`${arn} is still ${execution?.status ?? 'not started'}`);
    if (opts.sync && execution) await stack.runJob('domain-sync');
    await sleep(100);
  }
}

/**
 * What INWX must hold for an attached domain, however often a task ran: the domain once, its zone
 * once, the apex A record and the www CNAME once each, and (for a registration) one holder contact.
 */
export function expectAtInwxOnce(stack: LocalStack, domain: string, serverIp: string, holderEmail?: string) {
  const domains = stack.inwx.domains().filter((d) => d.domain === domain);
  expect(domains.map((d) => d.status)).toEqual(['OK']);
  expect(stack.inwx.zones().filter((z) => z.domain === domain)).toHaveLength(1);
  const records = stack.inwx.records(domain).filter((r) => r.type === 'A' || r.type === 'CNAME');
  expect(records.map((r) => [r.type, r.name, r.content, r.ttl]).sort()).toEqual(
    [
      ['A', domain, serverIp, 300],
      ['CNAME', `www.${domain}`, domain, 300],
    ].sort(),
  );
  if (holderEmail) expect(stack.inwx.contacts().filter((c) => c.email === holderEmail)).toHaveLength(1);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(check: () => boolean, timeoutMs: number, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await sleep(25);
  }
}
