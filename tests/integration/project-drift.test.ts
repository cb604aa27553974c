import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { LOCAL_COOLIFY_TOKEN } from '../../infra/local/simulators/coolify.js';
import { CoolifyClient } from '../../shared/integrations/coolify/coolify-client.js';
import type { InwxClient } from '../../shared/integrations/inwx/inwx-client.js';
import { api, orderBody, startTestStack, waitForStatus } from './support/api.js';
import { inwxClient } from './support/domains.js';
import { type LiveSite, liveSite } from './support/live-site.js';

// Drift: somebody changed a live project's records at INWX or its application in Coolify by hand.
// Staff see every difference, and one repair puts back what we stored — a second finds nothing.

let stack: LocalStack;
let call: ReturnType<typeof api>['call'];
let staff: string;
let coolifyApi: CoolifyClient;
let inwx: InwxClient;
let site: LiveSite;
let id: string;

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field in the test
type Json = Record<string, any>;

beforeAll(async () => {
  process.env.VRS_SIM_REGISTRATION_SECONDS = '0.2';
  stack = await startTestStack();
  ({ call } = api(stack));
  staff = await stack.token('drift@vrs.gmbh', 'staff');
  coolifyApi = new CoolifyClient({ baseUrl: `${stack.url}/sim/coolify/api/v1`, token: LOCAL_COOLIFY_TOKEN });
  inwx = inwxClient(stack);
  site = await liveSite(stack, coolifyApi, 'spielwaren.xyz', { atInwx: true });
  const imported = await call<Json>('POST', '/v1/admin/projects/import', {
    token: staff,
    body: {
      name: 'Spielwaren',
      projectType: 'business_directory',
      ownerEmail: 'laden@spielwaren.example',
      billingEmail: 'laden@spielwaren.example',
      paymentMethod: 'invoice',
      plugins: ['kontakt'],
      domains: [{ domain: site.domain, type: 'registered', isPrimary: true, inwxRecordIds: site.recordIds }],
      coolify: {
        projectUuid: site.projectUuid,
        applicationUuid: site.applicationUuid,
        serverUuid: site.serverUuid,
      },
    },
  });
  expect(imported.status, JSON.stringify(imported.body)).toBe(201);
  id = imported.body.id;
});
afterAll(async () => {
  await inwx?.logout().catch(() => {});
  await stack?.stop();
});

const drift = async (projectId = id) =>
  (await call<Json>('GET', `/v1/admin/projects/${projectId}/drift`, { token: staff })).body;
const keyOf = async () =>
  (await coolifyApi.listEnvs(site.applicationUuid)).find((e) => e.key === 'VRS_MARKETPLACE_KEY')?.value;

describe('a live project nobody touched', () => {
  it('has no drift', async () => {
    expect(await drift()).toEqual({ differences: [] });
  });

  it('has none either when we provisioned it ourselves on a subdomain', async () => {
    const order = await call<Json>('POST', '/v1/projects', { token: staff, body: orderBody('drift-frei') });
    const ordered = order.body.project.id;
    await waitForStatus(stack, staff, ordered, ['active'], 30_000);
    expect(await drift(ordered)).toEqual({ differences: [] });
  });
});

describe('a live project changed by hand', () => {
  const app = () => `${site.applicationUuid}`;
  let expected: Json[];

  it('shows every difference, without revealing a key', async () => {
    await inwx.updateRecord(site.recordIds.a!, { content: '198.51.100.7' });
    await inwx.deleteRecord(site.recordIds.www!);
    await coolifyApi.updateApplicationDomains(site.applicationUuid, ['https://spielwaren.xyz']);
    await coolifyApi.upsertEnvs(site.applicationUuid, [
      { key: 'VRS_MARKETPLACE_URL', value: 'https://old-marketplace.example' },
      { key: 'VRS_MARKETPLACE_KEY', value: 'vrs_typed-in-by-hand' },
    ]);

    const { differences } = await drift();
    expected = [
      { resource: 'dns A spielwaren.xyz', field: 'content', expected: site.serverIp, actual: '198.51.100.7' },
      {
        resource: 'dns CNAME www.spielwaren.xyz',
        field: 'recordId',
        expected: String(site.recordIds.www),
        actual: null,
      },
      {
        resource: `coolify application ${app()}`,
        field: 'domains',
        expected: 'https://spielwaren.xyz,https://www.spielwaren.xyz',
        actual: 'https://spielwaren.xyz',
      },
      {
        resource: `coolify env ${app()}`,
        field: 'VRS_MARKETPLACE_URL',
        expected: expect.stringMatching(/^http:\/\/127\.0\.0\.1/),
        actual: 'https://old-marketplace.example',
      },
      {
        resource: `coolify env ${app()}`,
        field: 'VRS_MARKETPLACE_KEY',
        expected: 'the key the marketplace issued',
        actual: 'a key the marketplace did not issue',
      },
    ];
    expect(differences).toEqual(expected);
    expect(JSON.stringify(differences)).not.toContain('vrs_typed-in-by-hand');
  });

  it('is repaired on request: records, domains and env put back, the satellite gets a key of ours', async () => {
    const res = await call<Json>('POST', `/v1/admin/projects/${id}/drift/repair`, { token: staff });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ repaired: expected, unrepaired: [] });

    const records = stack.inwx.records('spielwaren.xyz');
    expect(records.filter((r) => r.type === 'A').map((r) => r.content)).toEqual([site.serverIp]);
    expect(records.filter((r) => r.type === 'CNAME').map((r) => r.content)).toEqual(['spielwaren.xyz']);
    const application = stack.coolify.applications().find((a) => a.uuid === site.applicationUuid)!;
    expect(application.fqdn?.split(',').sort()).toEqual([
      'https://spielwaren.xyz',
      'https://www.spielwaren.xyz',
    ]);

    const key = await keyOf();
    expect(key).not.toBe('vrs_typed-in-by-hand');
    expect((await call('GET', `/v1/projects/${id}/config`, { apiKey: key! })).status).toBe(200);
    expect((await call('GET', `/v1/projects/${id}/config`, { apiKey: 'vrs_typed-in-by-hand' })).status).toBe(
      401,
    );
    // The recreated www record is the one we store now.
    expect(await drift()).toEqual({ differences: [] });
  });

  it('a second repair changes nothing', async () => {
    const inwxBefore = stack.inwx.stats().calls;
    const coolifyBefore = stack.coolify.usage().calls;
    const key = await keyOf();
    const res = await call<Json>('POST', `/v1/admin/projects/${id}/drift/repair`, { token: staff });
    expect(res.body).toEqual({ repaired: [], unrepaired: [] });
    const inwxCalls = stack.inwx.stats().calls;
    for (const method of ['nameserver.createRecord', 'nameserver.updateRecord'])
      expect(inwxCalls[method] ?? 0, method).toBe(inwxBefore[method] ?? 0);
    const coolifyCalls = stack.coolify.usage().calls;
    for (const op of ['PATCH /applications/{uuid}', 'PATCH /applications/{uuid}/envs/bulk', 'POST /deploy'])
      expect(coolifyCalls[op] ?? 0, op).toBe(coolifyBefore[op] ?? 0);
    expect(await keyOf()).toBe(key);
  });
});

describe('what drift is not for', () => {
  it('a project that is not live, an unknown one, and a caller who is not staff', async () => {
    const customer = await stack.token('laden@spielwaren.example', 'customer');
    expect((await call('GET', `/v1/admin/projects/${id}/drift`, { token: customer })).status).toBe(403);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await call('GET', `/v1/admin/projects/${unknown}/drift`, { token: staff })).status).toBe(404);

    await call('POST', '/sim/faults', {
      body: { service: 'coolify', operation: 'POST /applications/dockerimage', mode: 'error', times: 50 },
    });
    const order = await call<Json>('POST', '/v1/projects', { token: staff, body: orderBody('drift-fehler') });
    await waitForStatus(stack, staff, order.body.project.id, ['error'], 60_000);
    await call('DELETE', '/sim/faults');
    const res = await call<Json>('GET', `/v1/admin/projects/${order.body.project.id}/drift`, {
      token: staff,
    });
    expect(res.status).toBe(409);
  });
});
