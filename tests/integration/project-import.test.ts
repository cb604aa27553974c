import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { LOCAL_COOLIFY_TOKEN } from '../../infra/local/simulators/coolify.js';
import { CoolifyClient } from '../../shared/integrations/coolify/coolify-client.js';
import { getServer } from '../../shared/servers/servers-table.js';
import { api, startTestStack } from './support/api.js';
import { holdAtInwx } from './support/domains.js';
import { type LiveSite, liveSite } from './support/live-site.js';

// Staff import a project that is live already (seed 000 §3.3): its domain at INWX and its
// application on Coolify stay as they are; the project is stored active with their ids, and its
// satellite gets a fresh key through Coolify — the one write outside our table.

let stack: LocalStack;
let call: ReturnType<typeof api>['call'];
let staff: string;
let coolifyApi: CoolifyClient;
let site: LiveSite;

beforeAll(async () => {
  process.env.VRS_SIM_REGISTRATION_SECONDS = '0.2';
  stack = await startTestStack();
  // Server counts are read from the table directly (the servers API comes with staff operations).
  Object.assign(process.env, stack.environmentOf('api/import-project'));
  ({ call } = api(stack));
  staff = await stack.token('import@vrs.gmbh', 'staff');
  coolifyApi = new CoolifyClient({ baseUrl: `${stack.url}/sim/coolify/api/v1`, token: LOCAL_COOLIFY_TOKEN });
  site = await liveSite(stack, coolifyApi, 'steuerberater.tel', { atInwx: true });
  await holdAtInwx(stack, 'fruehstueckenclick.de');
});
afterAll(async () => {
  await stack?.stop();
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field in the test
type Json = Record<string, any>;

const importBody = (s: LiveSite, extra: Json = {}): Json => ({
  name: 'Steuerberater Tel',
  projectType: 'business_directory',
  ownerEmail: 'kanzlei@steuerberater.example',
  billingEmail: 'buchhaltung@steuerberater.example',
  paymentMethod: 'invoice',
  plugins: ['kontakt'],
  domains: [
    {
      domain: s.domain,
      type: 'owned',
      isPrimary: true,
      inwxRecordIds: { a: s.recordIds.a, www: s.recordIds.www },
    },
  ],
  coolify: { projectUuid: s.projectUuid, applicationUuid: s.applicationUuid, serverUuid: s.serverUuid },
  ...extra,
});

const envOf = async (appUuid: string, key: string) =>
  (await coolifyApi.listEnvs(appUuid)).find((e) => e.key === key)?.value;
const serverCount = async () => (await getServer(site.serverId))?.projectCount;

describe('importing a live project', () => {
  let id: string;

  it('stores it active with its ids and creates nothing at INWX or Coolify', async () => {
    const inwxBefore = stack.inwx.stats().calls;
    const coolifyBefore = {
      projects: stack.coolify.projects().length,
      apps: stack.coolify.applications().length,
    };

    const res = await call<Json>('POST', '/v1/admin/projects/import', {
      token: staff,
      body: importBody(site),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    id = res.body.id;
    expect(res.body).toMatchObject({
      status: 'active',
      ownerEmail: 'kanzlei@steuerberater.example',
      coolifyApplicationUuid: site.applicationUuid,
      coolifyProjectUuid: site.projectUuid,
      domains: [{ domain: 'steuerberater.tel', type: 'owned', status: 'active', isPrimary: true }],
      licenses: [{ plugin: 'kontakt', status: 'active' }],
    });
    // The expiry comes from our INWX account as domain-sync saw it.
    expect(res.body.domains[0].expiresAt).toEqual(expect.any(String));

    const inwxCalls = stack.inwx.stats().calls;
    for (const method of ['domain.create', 'nameserver.create', 'nameserver.createRecord', 'contact.create'])
      expect(inwxCalls[method] ?? 0, method).toBe(inwxBefore[method] ?? 0);
    expect(stack.coolify.projects()).toHaveLength(coolifyBefore.projects);
    expect(stack.coolify.applications()).toHaveLength(coolifyBefore.apps);
    // The live application keeps its domains: we only reference it.
    const app = stack.coolify.applications().find((a) => a.uuid === site.applicationUuid)!;
    expect(app.fqdn).toBe(site.fqdn);
  });

  it("gives the satellite a fresh key in the application's env, which opens the Satellite API", async () => {
    expect(await envOf(site.applicationUuid, 'VRS_PROJECT_ID')).toBe(id);
    expect(await envOf(site.applicationUuid, 'VRS_MARKETPLACE_URL')).toEqual(expect.stringMatching(/^http/));
    // The live site's own admin stays: no owner login is set for an imported satellite.
    expect(await envOf(site.applicationUuid, 'VRS_ADMIN_INITIAL_PASSWORD')).toBeUndefined();
    const key = await envOf(site.applicationUuid, 'VRS_MARKETPLACE_KEY');
    const config = await call<Json>('GET', `/v1/projects/${id}/config`, { apiKey: key! });
    expect(config.status).toBe(200);
    expect(config.body).toMatchObject({ projectId: id, primaryDomain: 'steuerberater.tel' });
  });

  it('counts the project on its server once; the same import again is a conflict that changes nothing', async () => {
    const count = await serverCount();
    const key = await envOf(site.applicationUuid, 'VRS_MARKETPLACE_KEY');
    const again = await call<Json>('POST', '/v1/admin/projects/import', {
      token: staff,
      body: importBody(site),
    });
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual([
      { path: 'coolify.applicationUuid', message: `already imported as project ${id}` },
    ]);
    expect(await envOf(site.applicationUuid, 'VRS_MARKETPLACE_KEY')).toBe(key);
    expect(await serverCount()).toBe(count);
  });

  it('writes its log for staff', async () => {
    const logs = await call<Json>('GET', `/v1/projects/${id}/logs`, { token: staff });
    expect(logs.body.items.map((l: Json) => l.action)).toEqual(
      expect.arrayContaining(['project_imported', 'environment_configured']),
    );
  });
});

describe('an import that cannot be taken', () => {
  it('names every invalid field at once and writes nothing', async () => {
    const res = await call<Json>('POST', '/v1/admin/projects/import', {
      token: staff,
      body: {
        ...importBody(site),
        ownerEmail: 'not-an-email',
        domains: [
          { domain: `${'a'.repeat(64)}.de`, type: 'owned', isPrimary: true, inwxRecordIds: {} },
          { domain: 'zweite.de', type: 'parked', isPrimary: true, inwxRecordIds: { a: -1 } },
        ],
        coolify: { projectUuid: site.projectUuid, applicationUuid: 'x y' },
      },
    });
    expect(res.status).toBe(400);
    const paths = res.body.errors.map((e: Json) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'ownerEmail',
        'domains.0.domain',
        'domains.1.type',
        'domains.1.inwxRecordIds.a',
        'coolify.applicationUuid',
        'coolify.serverUuid',
      ]),
    );
  });

  it('refuses two primary domains, unknown things of ours, and a domain outside our account', async () => {
    const twoPrimaries = await call<Json>('POST', '/v1/admin/projects/import', {
      token: staff,
      body: importBody(site, {
        domains: [
          { domain: 'fruehstueckenclick.de', type: 'owned', isPrimary: true },
          { domain: 'fruehstueck.vrs.gmbh', type: 'subdomain', isPrimary: true },
        ],
      }),
    });
    expect(twoPrimaries.status).toBe(400);
    expect(twoPrimaries.body.errors).toEqual([
      { path: 'domains', message: 'exactly one domain must be primary' },
    ]);

    const unknown = await call<Json>('POST', '/v1/admin/projects/import', {
      token: staff,
      body: importBody(site, {
        projectType: 'no_such_type',
        domains: [{ domain: 'fruehstueck.example.org', type: 'subdomain', isPrimary: true }],
        coolify: { projectUuid: 'p1', applicationUuid: 'a1', serverUuid: 'no-such-server' },
      }),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.map((e: Json) => e.path).sort()).toEqual([
      'coolify.serverUuid',
      'domains.0.domain',
      'projectType',
    ]);

    const notOurs = await call<Json>('POST', '/v1/admin/projects/import', {
      token: staff,
      body: importBody(site, {
        domains: [{ domain: 'spielwaren.xyz', type: 'registered', isPrimary: true }],
        coolify: { projectUuid: 'p2', applicationUuid: 'a2', serverUuid: site.serverUuid },
      }),
    });
    expect(notOurs.status).toBe(422);
    expect(notOurs.body.errors).toEqual([
      { path: 'domains.0.domain', message: 'is not a domain in our INWX account' },
    ]);
  });

  it('refuses an application Coolify does not have (422) and a domain another project has (409)', async () => {
    const missing = await call<Json>('POST', '/v1/admin/projects/import', {
      token: staff,
      body: importBody(site, {
        domains: [{ domain: 'fruehstueckenclick.de', type: 'owned', isPrimary: true }],
        coolify: { projectUuid: 'gone-project', applicationUuid: 'gone-app', serverUuid: site.serverUuid },
      }),
    });
    expect(missing.status).toBe(422);
    expect(missing.body.errors.map((e: Json) => e.path).sort()).toEqual([
      'coolify.applicationUuid',
      'coolify.projectUuid',
    ]);

    const other = await liveSite(stack, coolifyApi, 'fruehstueckenclick.de', { atInwx: false });
    const taken = await call<Json>('POST', '/v1/admin/projects/import', {
      token: staff,
      body: importBody(other, {
        domains: [
          { domain: 'fruehstueckenclick.de', type: 'owned', isPrimary: true },
          { domain: 'steuerberater.tel', type: 'owned', isPrimary: false },
        ],
      }),
    });
    expect(taken.status).toBe(409);
    expect(taken.body.errors).toEqual([{ path: 'domains.1.domain', message: 'already taken' }]);
    // Nothing of the refused import was kept: without the taken domain it goes through.
    const ok = await call<Json>('POST', '/v1/admin/projects/import', {
      token: staff,
      body: importBody(other, {
        name: 'Frühstück Click',
        domains: [{ domain: 'fruehstueckenclick.de', type: 'owned', isPrimary: true }],
      }),
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
  });
});

describe('Coolify failing while the key is written', () => {
  it('answers 503 with the project stored; the same import again finishes it', async () => {
    const s = await liveSite(stack, coolifyApi, 'kanzlei.vrs.gmbh', { atInwx: false });
    const body = importBody(s, {
      name: 'Kanzlei Demo',
      domains: [{ domain: 'kanzlei.vrs.gmbh', type: 'subdomain', isPrimary: true }],
    });
    await call('POST', '/sim/faults', {
      body: {
        service: 'coolify',
        operation: 'PATCH /applications/{uuid}/envs/bulk',
        mode: 'http_500',
        times: 10,
      },
    });
    const failed = await call<Json>('POST', '/v1/admin/projects/import', { token: staff, body });
    await call('DELETE', '/sim/faults');
    expect(failed.status).toBe(503);
    expect(await envOf(s.applicationUuid, 'VRS_MARKETPLACE_KEY')).toBeUndefined();

    const finished = await call<Json>('POST', '/v1/admin/projects/import', { token: staff, body });
    expect(finished.status).toBe(201);
    expect(finished.body.domains).toMatchObject([
      { domain: 'kanzlei.vrs.gmbh', type: 'subdomain', status: 'active' },
    ]);
    const key = await envOf(s.applicationUuid, 'VRS_MARKETPLACE_KEY');
    const config = await call<Json>('GET', `/v1/projects/${finished.body.id}/config`, { apiKey: key! });
    expect(config.status).toBe(200);
    // One project, counted once.
    const logs = await call<Json>('GET', `/v1/projects/${finished.body.id}/logs`, { token: staff });
    expect(logs.body.items.filter((l: Json) => l.action === 'project_imported')).toHaveLength(1);
  });
});

it('is for staff only', async () => {
  const customer = await stack.token('kunde@example.com', 'customer');
  const res = await call<Json>('POST', '/v1/admin/projects/import', {
    token: customer,
    body: importBody(site),
  });
  expect(res.status).toBe(403);
});
