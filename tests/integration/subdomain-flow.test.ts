import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { api, orderBody, startTestStack, waitForStatus } from './support/api.js';

// The path of issue 2 end to end, through the HTTP API of the local stack: order → server → DNS at
// INWX → Coolify app + deploy → satellite bootstraps with its key → active → owner mail.

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

describe('a subdomain project ordered by staff', () => {
  let projectId: string;

  it('is stored as pending_domain with its subdomain and licenses, and provisioning starts', async () => {
    const res = await call<{ project: Record<string, unknown>; checkoutUrl: null }>('POST', '/v1/projects', {
      token: staff,
      body: orderBody('mueller'),
    });
    expect(res.status).toBe(201);
    const p = res.body.project;
    projectId = String(p.id);
    expect(p.status).toBe('pending_domain');
    expect(p.domains).toEqual([
      {
        domain: 'mueller.vrs.gmbh',
        type: 'subdomain',
        status: 'pending_dns',
        isPrimary: true,
        failureReason: null,
        expiresAt: null,
      },
    ]);
    expect((p.licenses as { plugin: string }[]).map((l) => l.plugin).sort()).toEqual([
      'directory',
      'kontakt',
    ]);
    expect(res.body.checkoutUrl).toBeNull();
  });

  it('goes live: server chosen, DNS and Coolify set up, satellite healthy, owner mailed', async () => {
    const project = await waitForStatus(stack, staff, projectId, ['active', 'error']);
    expect(project.status).toBe('active');
    expect(project.provisioningError).toBeNull();
    expect(project.domains).toEqual([
      {
        domain: 'mueller.vrs.gmbh',
        type: 'subdomain',
        status: 'active',
        isPrimary: true,
        failureReason: null,
        expiresAt: null,
      },
    ]);

    const records = stack.inwx.records('vrs.gmbh').filter((r) => r.name.endsWith('mueller.vrs.gmbh'));
    expect(records.map((r) => [r.type, r.name, r.content, r.ttl]).sort()).toEqual([
      [
        'A',
        'mueller.vrs.gmbh',
        String(project.serverId === 'srv-nbg1-02' ? '203.0.113.11' : '203.0.113.10'),
        300,
      ],
      ['CNAME', 'www.mueller.vrs.gmbh', 'mueller.vrs.gmbh', 300],
    ]);

    const apps = stack.coolify.applications().filter((a) => a.name === `vrs-${projectId}`);
    expect(apps).toHaveLength(1);
    expect(apps[0]!.fqdn).toBe('https://mueller.vrs.gmbh');
    expect(apps[0]!.is_force_https_enabled).toBe(true);
    const envs = Object.fromEntries(apps[0]!.envs.map((e) => [e.key, e.value]));
    expect(envs.VRS_PROJECT_ID).toBe(projectId);
    expect(envs.VRS_MARKETPLACE_URL).toBe(stack.url);
    expect(envs.VRS_MARKETPLACE_KEY).toMatch(/^vrs_/);

    const sat = stack.satellites.get('mueller.vrs.gmbh');
    expect(sat?.state).toBe('healthy');
    expect(sat?.installed.map((p) => p.name).sort()).toEqual(['directory', 'kontakt']);

    // The welcome mail (the order confirmation and "provisioning started" came before it).
    const mail = await stack.mailbox.waitFor(
      (m) => m.to.includes('owner@example.com') && m.subject.endsWith('ist bereit'),
    );
    expect(mail?.subject).toContain('Steuerberater Müller');
    expect(mail?.text).toContain('https://mueller.vrs.gmbh');
    expect(mail?.text).toContain(String(envs.VRS_ADMIN_INITIAL_PASSWORD));
    expect(mail?.html).toContain('https://mueller.vrs.gmbh');
  });

  it('logged every step of the way', async () => {
    const res = await call<{ items: { action: string }[] }>(
      'GET',
      `/v1/projects/${projectId}/logs?limit=200`,
      { token: staff },
    );
    const actions = res.body.items.map((l) => l.action).reverse();
    for (const a of [
      'order_created',
      'server_assigned',
      'dns_created',
      'deploy_flow_started',
      'coolify_project_created',
      'coolify_app_created',
      'environment_configured',
      'deployment_started',
      'deployment_completed',
      'health_check_passed',
      'owner_notified',
    ]) {
      expect(actions).toContain(a);
    }
    expect(actions.indexOf('server_assigned')).toBeLessThan(actions.indexOf('dns_created'));
    expect(actions.indexOf('deployment_completed')).toBeLessThan(actions.indexOf('health_check_passed'));
  });

  it('serves the satellite its config, plugin list and a presigned ZIP whose sha256 matches', async () => {
    const app = stack.coolify.applications().find((a) => a.name === `vrs-${projectId}`)!;
    const key = app.envs.find((e) => e.key === 'VRS_MARKETPLACE_KEY')!.value!;

    const config = await call<{
      projectId: string;
      primaryDomain: string;
      plugins: { name: string; version: string }[];
    }>('GET', `/v1/projects/${projectId}/config`, { apiKey: key });
    expect(config.status).toBe(200);
    expect(config.body.projectId).toBe(projectId);
    expect(config.body.primaryDomain).toBe('mueller.vrs.gmbh');
    expect(config.body.plugins.map((p) => p.name).sort()).toEqual(['directory', 'kontakt']);

    const plugins = await call<{ items: { name: string; status: string }[] }>(
      'GET',
      `/v1/projects/${projectId}/plugins`,
      { apiKey: key },
    );
    expect(plugins.body.items.every((p) => p.status === 'active')).toBe(true);

    const dl = await call<{
      url: string;
      sha256: string;
      sizeBytes: number;
      expiresAt: string;
      version: string;
    }>('POST', '/v1/plugins/kontakt/download', { apiKey: key });
    expect(dl.status).toBe(200);
    expect(new Date(dl.body.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    const zip = Buffer.from(await (await fetch(dl.body.url)).arrayBuffer());
    expect(createHash('sha256').update(zip).digest('hex')).toBe(dl.body.sha256);
    expect(zip.byteLength).toBe(dl.body.sizeBytes);
    expect(zip.subarray(0, 2).toString('latin1')).toBe('PK');

    // No license for crm → 403; a key only opens its own project.
    expect((await call('POST', '/v1/plugins/crm/download', { apiKey: key })).status).toBe(403);
    expect(
      (await call('GET', '/v1/projects/00000000-0000-4000-8000-000000000000/config', { apiKey: key })).status,
    ).toBe(404);
    expect((await call('GET', `/v1/projects/${projectId}/config`, { apiKey: `${key}x` })).status).toBe(401);
  });

  it('rejects the same subdomain again with 409 and writes nothing', async () => {
    const before = stack.coolify.applications().length;
    const res = await call<{ errors: { path: string }[] }>('POST', '/v1/projects', {
      token: staff,
      body: orderBody('mueller'),
    });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors[0]?.path).toBe('domain.subdomain');
    const mine = await call<{ items: unknown[] }>('GET', '/v1/projects', {
      token: await stack.token('owner@example.com', 'customer'),
    });
    expect(mine.body.items).toHaveLength(1);
    expect(stack.coolify.applications().length).toBe(before);
  });

  it('running a task again creates no second record, app or key', async () => {
    const recordsBefore = stack.inwx.records('vrs.gmbh').length;
    const appsBefore = stack.coolify.applications().length;
    const keyBefore = stack.coolify
      .applications()
      .find((a) => a.name === `vrs-${projectId}`)!
      .envs.find((e) => e.key === 'VRS_MARKETPLACE_KEY')!.value;
    for (const task of [
      'tasks/reserve-server',
      'tasks/create-dns-records',
      'tasks/create-coolify-application',
      'tasks/activate-project',
    ]) {
      await stack.invoke(task, { projectId });
    }
    expect(stack.inwx.records('vrs.gmbh').length).toBe(recordsBefore);
    expect(stack.coolify.applications().length).toBe(appsBefore);
    const keyAfter = stack.coolify
      .applications()
      .find((a) => a.name === `vrs-${projectId}`)!
      .envs.find((e) => e.key === 'VRS_MARKETPLACE_KEY')!.value;
    expect(keyAfter).toBe(keyBefore);
    // One of each: the order confirmation, provisioning started, the welcome mail.
    expect(
      stack.mailbox
        .list()
        .filter((m) => m.to.includes('owner@example.com'))
        .map((m) => m.subject)
        .sort(),
    ).toEqual([
      'Bestellung bestätigt: „Steuerberater Müller“',
      'Einrichtung von „Steuerberater Müller“ gestartet',
      'Ihr Projekt „Steuerberater Müller“ ist bereit',
    ]);
  });
});
