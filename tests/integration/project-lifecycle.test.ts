import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { getServer } from '../../shared/servers/servers-table.js';
import { api, orderBody, startTestStack, waitForStatus } from './support/api.js';
import {
  addFaults,
  clearFaults,
  domainApi,
  domainOf,
  type Json,
  registrant,
  until,
} from './support/domains.js';
import { projectItemWriter } from './support/project-item.js';

// Staff suspend, resume and archive a live project (the lifecycle flows) on the local runtime: the
// Coolify application stops, starts and is deleted, the licenses follow, the satellite's key is
// refused while the project is suspended or archived, the owner is told each time, the DNS records
// go, the server slot is freed and the domains we registered are set to expire — unless kept. A
// Coolify fault fails the suspension for staff, the project stays active, and a redrive finishes it
// without doing anything twice.

let stack: LocalStack;
let call: ReturnType<typeof api>['call'];
let staff: string;
let items: ReturnType<typeof projectItemWriter>;

beforeAll(async () => {
  process.env.VRS_SIM_REGISTRATION_SECONDS = '0.3';
  // No scheduled jobs: only the flows (and the domain-sync runs below) act, so each fault hits the
  // call it is meant for.
  stack = await startTestStack({ jobIntervalMs: 0 });
  // Server counts are read from the table directly (the servers API comes with staff operations).
  Object.assign(process.env, stack.environmentOf('api/import-project'));
  ({ call } = api(stack));
  staff = await stack.token('lifecycle@vrs.gmbh', 'staff');
  items = projectItemWriter(stack);
});
afterAll(async () => {
  // A satellite that was started last may still be bootstrapping through the API: let it finish first.
  if (stack) await until(() => stack.satellites.list().every((s) => s.state !== 'bootstrapping'), 10_000);
  items?.close();
  await stack?.stop();
});

const lifecycle = (id: string, action: 'suspend' | 'resume' | 'archive', body?: Json) =>
  call<Json>('POST', `/v1/admin/projects/${id}/${action}`, {
    token: staff,
    ...(body !== undefined ? { body } : {}),
  });
const getProject = async (id: string) =>
  (await call<Json>('GET', `/v1/projects/${id}`, { token: staff })).body;
const logActions = async (id: string) =>
  ((await call<Json>('GET', `/v1/projects/${id}/logs?limit=200`, { token: staff })).body.items as Json[]).map(
    (l) => l.action as string,
  );
const appOf = (id: string) =>
  stack.coolify.applications().find((a) => a.envs.some((e) => e.key === 'VRS_PROJECT_ID' && e.value === id));
const keyOf = (id: string) => appOf(id)?.envs.find((e) => e.key === 'VRS_MARKETPLACE_KEY')?.value ?? '';
const satelliteOf = (id: string) => stack.satellites.list().find((s) => s.projectId === id);
const configWithKey = async (id: string, key: string) =>
  (await call('GET', `/v1/projects/${id}/config`, { apiKey: key })).status;
const mailsTo = (projectName: string, subject: string) =>
  stack.mailbox.list().filter((m) => m.subject.includes(projectName) && m.subject.includes(subject));

/** Orders a subdomain project and waits until it is active and its satellite healthy. */
async function liveProject(subdomain: string, name: string, extra: Json = {}): Promise<string> {
  const res = await call<Json>('POST', '/v1/projects', {
    token: staff,
    body: orderBody(subdomain, { name, ...extra }),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const id = res.body.project.id as string;
  await waitForStatus(stack, staff, id, ['active']);
  await until(() => satelliteOf(id)?.state === 'healthy', 10_000, `${name}'s satellite healthy`);
  return id;
}

async function finished(executionArn: string) {
  const done = await stack.stepFunctions.waitForExecution(executionArn, 30_000);
  expect(done.status, `${executionArn}: ${done.error ?? ''} ${done.cause ?? ''}`).toBe('SUCCEEDED');
  return done;
}

describe('suspend, resume and archive a live project', () => {
  const name = 'Lebenszyklus Kanzlei';
  const fqdn = 'lebenszyklus.vrs.gmbh';
  let id: string;
  let key: string;
  let serverId: string;
  let countWhileLive: number;

  beforeAll(async () => {
    id = await liveProject('lebenszyklus', name);
    key = keyOf(id);
    serverId = (await getProject(id)).serverId;
    countWhileLive = (await getServer(serverId))!.projectCount;
  });

  it('suspends with a reason: application stopped, licenses suspended, key refused, owner told', async () => {
    expect(await configWithKey(id, key)).toBe(200);
    // A license staff suspended on its own before (no API for that yet: written as it would be).
    await items.overwriteLicense(id, 'kontakt', { status: 'suspended' });

    const reason = 'Rechnung 2025-017 seit 30 Tagen offen';
    const res = await lifecycle(id, 'suspend', { reason });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toEqual({
      projectId: id,
      action: 'suspend',
      status: 'active',
      executionArn: expect.stringMatching(
        new RegExp(`:execution:vrs-suspend-project:${id}-suspend-project-1$`),
      ),
    });
    // A double click is the same request: the same execution, nothing started twice.
    const again = await lifecycle(id, 'suspend', { reason });
    expect(again.status).toBe(202);
    expect(again.body.executionArn).toBe(res.body.executionArn);
    await finished(res.body.executionArn);

    const project = await getProject(id);
    expect(project).toMatchObject({
      status: 'suspended',
      suspensionReason: reason,
      suspendedBy: 'lifecycle@vrs.gmbh',
      lifecycleRequest: null,
    });
    expect(project.licenses.map((l: Json) => [l.plugin, l.status])).toEqual([
      ['directory', 'suspended'],
      ['kontakt', 'suspended'],
    ]);
    // The owner sees why, too.
    const owner = await stack.token('owner@example.com', 'customer');
    const ownerView = (await call<Json>('GET', `/v1/projects/${id}`, { token: owner })).body;
    expect(ownerView).toMatchObject({ status: 'suspended', suspensionReason: reason });
    expect(ownerView).not.toHaveProperty('suspendedBy');

    expect(appOf(id)?.status).toBe('exited');
    expect(satelliteOf(id)).toBeUndefined();
    expect(stack.satellites.health(fqdn).status).toBe(502);
    expect(await configWithKey(id, key)).toBe(403);

    const [mail, ...more] = mailsTo(name, 'gesperrt');
    expect(more).toEqual([]);
    expect(mail?.to).toEqual(['owner@example.com']);
    expect(mail?.text).toContain(reason);
    expect(mail?.text).toContain('Was zu tun ist');

    // Each license the suspension took has one history entry with who and why; the one suspended
    // before has none.
    const history = (await items.licenseHistory(id)).filter((h) => h.action === 'suspended');
    expect(history.map((h) => [h.plugin, h.oldStatus, h.newStatus, h.triggeredBy, h.reason])).toEqual([
      ['directory', 'active', 'suspended', 'lifecycle@vrs.gmbh', reason],
    ]);
    expect(await logActions(id)).toEqual(
      expect.arrayContaining([
        'suspend_requested',
        'application_stopped',
        'project_suspended',
        'lifecycle_completed',
      ]),
    );
  });

  it('answers 409 to a second suspension, and to an archive while the resume runs', async () => {
    const suspend = await lifecycle(id, 'suspend', { reason: 'noch einmal' });
    expect(suspend.status).toBe(409);
    expect(suspend.body.detail).toContain('"suspended"');

    const resume = await lifecycle(id, 'resume');
    expect(resume.status, JSON.stringify(resume.body)).toBe(202);
    expect(resume.body.executionArn).toMatch(new RegExp(`${id}-resume-project-2$`));
    const archive = await lifecycle(id, 'archive', { reason: 'zu früh' });
    expect(archive.status).toBe(409);
    expect(archive.body.detail).toContain('resumption of this project is under way');
    await finished(resume.body.executionArn);
  });

  it('resumed: application running, exactly the suspended licenses back, key works, owner told', async () => {
    const project = await getProject(id);
    expect(project).toMatchObject({ status: 'active', suspensionReason: null, lifecycleRequest: null });
    expect(project.licenses.map((l: Json) => [l.plugin, l.status])).toEqual([
      ['directory', 'active'],
      ['kontakt', 'suspended'], // suspended on its own before the suspension: stays so
    ]);
    expect(appOf(id)?.status).toMatch(/^running/);
    await until(() => satelliteOf(id)?.state === 'healthy', 10_000, 'satellite healthy again');
    expect(await configWithKey(id, key)).toBe(200);
    expect(mailsTo(name, 'wieder online')).toHaveLength(1);
    expect(await logActions(id)).toEqual(
      expect.arrayContaining(['application_start_queued', 'project_resumed']),
    );
  });

  it('archives: application and records gone, slot freed, licenses cancelled, data kept', async () => {
    const deletesBefore = stack.inwx.stats().calls['nameserver.deleteRecord'] ?? 0;
    expect(stack.inwx.records('vrs.gmbh').filter((r) => r.name.endsWith(fqdn))).toHaveLength(2);

    const res = await lifecycle(id, 'archive', { reason: 'Vertrag gekündigt' });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.executionArn).toMatch(new RegExp(`${id}-archive-project-3$`));
    await finished(res.body.executionArn);

    expect(appOf(id)).toBeUndefined();
    expect(satelliteOf(id)).toBeUndefined();
    expect(stack.inwx.records('vrs.gmbh').filter((r) => r.name.endsWith(fqdn))).toEqual([]);
    expect(stack.inwx.stats().calls['nameserver.deleteRecord']).toBe(deletesBefore + 2);
    expect((await getServer(serverId))!.projectCount).toBe(countWhileLive - 1);
    expect(await configWithKey(id, key)).toBe(403);

    // Still readable, with its log.
    const project = await getProject(id);
    expect(project).toMatchObject({
      status: 'archived',
      archiveReason: 'Vertrag gekündigt',
      archivedBy: 'lifecycle@vrs.gmbh',
      serverId: null,
      lifecycleRequest: null,
    });
    expect(project.licenses.map((l: Json) => l.status)).toEqual(['cancelled', 'cancelled']);
    expect(await items.domain(id, fqdn)).toMatchObject({ status: 'removed', inwxRecordIds: {} });
    expect(await logActions(id)).toEqual(
      expect.arrayContaining(['application_deleted', 'dns_removed', 'project_archived']),
    );
    expect(mailsTo(name, 'archiviert')).toHaveLength(1);

    // Nothing more to do with it.
    expect((await lifecycle(id, 'resume')).status).toBe(409);
    expect((await lifecycle(id, 'archive', { reason: 'noch einmal' })).status).toBe(409);
  });
});

describe('bad requests', () => {
  it('refuses non-staff (403), a missing reason (400), an unknown project (404), and an archive while provisioning runs (409)', async () => {
    const customer = await stack.token('kunde@example.com', 'customer');
    const unknown = '00000000-0000-4000-8000-000000000000';
    const res = await call<Json>('POST', '/v1/projects', {
      token: staff,
      body: orderBody('lebenszyklus-neu', { name: 'Lebenszyklus Neu' }),
    });
    const id = res.body.project.id as string;
    const early = await lifecycle(id, 'archive', { reason: 'falsch bestellt' });
    expect(early.status).toBe(409);

    expect(
      (await call('POST', `/v1/admin/projects/${id}/suspend`, { token: customer, body: { reason: 'x' } }))
        .status,
    ).toBe(403);
    const noReason = await lifecycle(id, 'suspend', {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ path: 'reason' })]);
    expect((await lifecycle(unknown, 'suspend', { reason: 'x' })).status).toBe(404);
    await waitForStatus(stack, staff, id, ['active']);
    const notOurs = await lifecycle(id, 'archive', { reason: 'x', keepDomains: ['fremd.de'] });
    expect(notOurs.status).toBe(400);
    expect(notOurs.body.errors).toEqual([expect.objectContaining({ path: 'keepDomains.0' })]);
    expect((await getProject(id)).lifecycleRequest).toBeNull();
  });
});

describe('a Coolify fault while suspending', () => {
  it('fails the execution for staff, the project stays active; a redrive suspends it, nothing twice', async () => {
    const name = 'Lebenszyklus Störung';
    const id = await liveProject('lebenszyklus-stoerung', name);
    const appUuid = appOf(id)!.uuid;
    await addFaults(stack, [
      { service: 'coolify', operation: `POST /applications/${appUuid}/stop`, mode: 'http_500' },
    ]);

    const res = await lifecycle(id, 'suspend', { reason: 'Zahlung fehlgeschlagen' });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const arn = res.body.executionArn as string;
    const failed = await stack.stepFunctions.waitForExecution(arn, 30_000);
    expect(failed).toMatchObject({
      status: 'FAILED',
      error: 'Transient',
      lastState: { name: 'StopApplication' },
    });
    const alarm = await stack.mailbox.waitFor(
      (m) => m.to.includes('staff@vrs.gmbh') && m.subject === `Sperrung fehlgeschlagen: ${name}`,
    );
    expect(alarm.text).toContain(arn);
    expect(alarm.text).toContain('HTTP 500');
    const during = await getProject(id);
    expect(during).toMatchObject({ status: 'active', suspensionReason: null });
    expect(during.lifecycleRequest).toMatchObject({ action: 'suspend', executionArn: arn });
    expect(during.licenses.every((l: Json) => l.status === 'active')).toBe(true);
    expect(await logActions(id)).toContain('lifecycle_failed');
    expect(mailsTo(name, 'gesperrt')).toEqual([]);

    await clearFaults(stack);
    await stack.stepFunctions.redriveExecution({ executionArn: arn }); // as from the console
    const done = await finished(arn);
    expect(done.redriveCount).toBe(1);

    const project = await getProject(id);
    expect(project).toMatchObject({ status: 'suspended', suspensionReason: 'Zahlung fehlgeschlagen' });
    expect(appOf(id)?.status).toBe('exited');
    const history = (await items.licenseHistory(id)).filter((h) => h.action === 'suspended');
    expect(history.map((h) => h.plugin).sort()).toEqual(['directory', 'kontakt']);
    const actions = await logActions(id);
    expect(actions.filter((a) => a === 'project_suspended')).toHaveLength(1);
    expect(actions).toContain('lifecycle_retry');
    expect(mailsTo(name, 'gesperrt')).toHaveLength(1);
    expect(
      stack.mailbox.list().filter((m) => m.subject === `Sperrung fehlgeschlagen: ${name}`),
      'one staff mail, for the one failure',
    ).toHaveLength(1);
  });
});

describe('archiving a project with domains we registered', () => {
  it('sets them to expire at INWX unless kept; their records go, the kept one stays ours', async () => {
    const domains = domainApi(stack, staff);
    const ordered = await domains.order(
      {
        type: 'register',
        domain: 'lebenszyklus-bau.de',
        registrant: { ...registrant, email: 'lz@bau.example' },
      },
      'Lebenszyklus Bau',
    );
    expect(ordered.status, JSON.stringify(ordered.body)).toBe(201);
    const id = ordered.body.project.id as string;
    await waitForStatus(stack, staff, id, ['active']);
    await domains.syncUntil(id, 'lebenszyklus-bau.de', ['active']);
    await domains.addDomain(id, {
      type: 'register',
      domain: 'lebenszyklus-shop.de',
      registrant: { ...registrant, email: 'lz@bau.example' },
    });
    await domains.syncUntil(id, 'lebenszyklus-shop.de', ['active']);
    const atInwx = (d: string) => stack.inwx.domains().find((x) => x.domain === d);
    expect(atInwx('lebenszyklus-bau.de')?.renewalMode).toBe('AUTORENEW');
    expect(
      stack.inwx.records('lebenszyklus-bau.de').filter((r) => ['A', 'CNAME'].includes(r.type)),
    ).toHaveLength(2);

    const res = await lifecycle(id, 'archive', {
      reason: 'Kunde hat gekündigt',
      keepDomains: ['lebenszyklus-shop.de'],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    await finished(res.body.executionArn);

    expect(atInwx('lebenszyklus-bau.de')?.renewalMode).toBe('AUTOEXPIRE');
    expect(atInwx('lebenszyklus-shop.de')?.renewalMode).toBe('AUTORENEW');
    // The records we made (the zones' own SOA and NS stay with the zones).
    for (const zone of ['lebenszyklus-bau.de', 'lebenszyklus-shop.de', 'vrs.gmbh']) {
      expect(
        stack.inwx
          .records(zone)
          .filter((r) => r.type === 'A' || r.type === 'CNAME')
          .filter((r) => r.name.includes('lebenszyklus-bau') || r.name.includes('lebenszyklus-shop')),
        zone,
      ).toEqual([]);
    }
    const project = await getProject(id);
    expect(project.status).toBe('archived');
    expect(project.domains.map((d: Json) => [d.domain, d.status])).toEqual([
      ['lebenszyklus-shop.de', 'active'],
    ]);
    expect(domainOf(project, 'lebenszyklus-bau.de')).toBeUndefined();
    expect(await items.domain(id, 'lebenszyklus-bau.de')).toMatchObject({
      status: 'removed',
      renewalMode: 'AUTOEXPIRE',
    });
    const mail = mailsTo('Lebenszyklus Bau', 'archiviert')[0];
    expect(mail?.text).toContain('lebenszyklus-bau.de');
    expect(mail?.text).toContain('Diese Domains bleiben registriert: lebenszyklus-shop.de');
  });
});
