import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type CoolifyFinishedApp,
  createCoolifySimulator,
  LOCAL_COOLIFY_TOKEN,
} from '../../../../infra/local/simulators/coolify.js';
import { FaultRegistry } from '../../../../infra/local/simulators/faults.js';
import { SatelliteFleet } from '../../../../infra/local/simulators/satellite.js';
import {
  CoolifyApiError,
  CoolifyClient,
  type CoolifyClientOptions,
  isApplicationRunning,
  isApplicationStopped,
} from '../../../../shared/integrations/coolify/coolify-client.js';
import { withDeadline } from '../../../../shared/platform/deadline.js';
import { ExternalServiceError, ValidationError } from '../../../../shared/platform/errors.js';
import { serveSatelliteMarketplace } from '../../../support/satellite-marketplace.js';
import { serveSimulator } from '../../../support/serve-simulator.js';

const SERVER_UUID = 'srv-local-1';

const faults = new FaultRegistry();
const finished: CoolifyFinishedApp[] = [];
const sim = createCoolifySimulator({
  faults,
  deployDurationMs: 60,
  onDeploymentFinished: (app) => finished.push(app),
});
let served: { url: string; close(): Promise<void> };

const client = (opts: Partial<CoolifyClientOptions> = {}) =>
  new CoolifyClient({ baseUrl: served.url, token: LOCAL_COOLIFY_TOKEN, retryBaseDelayMs: 5, ...opts });

beforeAll(async () => {
  served = await serveSimulator(sim);
});
afterAll(async () => {
  await served.close();
});
afterEach(() => faults.clear());

async function newProject(name: string) {
  const coolify = client();
  const { uuid } = await coolify.createProject({ name, description: 'test' });
  const env = await coolify.getEnvironment(uuid, 'production');
  return { projectUuid: uuid, environmentUuid: env.uuid };
}

async function caught(p: Promise<unknown>): Promise<CoolifyApiError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CoolifyApiError);
  return err as CoolifyApiError;
}

async function pollDeployment(coolify: CoolifyClient, uuid: string) {
  for (let i = 0; i < 100; i++) {
    const d = await coolify.getDeployment(uuid);
    if (d && d.status !== 'queued' && d.status !== 'in_progress') return d;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('deployment did not finish');
}

describe('CoolifyClient against the simulator', () => {
  it('creates a project that comes with a production environment', async () => {
    const coolify = client();
    const { uuid } = await coolify.createProject({ name: 'acme' });

    const project = await coolify.getProject(uuid);
    expect(project).toMatchObject({ uuid, name: 'acme', description: null });
    expect(project.environments?.map((e) => e.name)).toEqual(['production']);
    expect(await coolify.listProjects()).toContainEqual({ uuid, name: 'acme' });

    const env = await coolify.getEnvironment(uuid, 'production');
    expect(await coolify.getEnvironment(uuid, env.uuid)).toEqual(env);
  });

  it('returns the existing environment when creating one twice (409)', async () => {
    const coolify = client();
    const { projectUuid } = await newProject('envs');
    const first = await coolify.createEnvironment(projectUuid, 'staging');
    const second = await coolify.createEnvironment(projectUuid, 'staging');
    expect(second).toEqual(first);
  });

  it('creates docker-image and git-deploy-key apps with forced HTTPS on their domains', async () => {
    const coolify = client();
    const { projectUuid, environmentUuid } = await newProject('apps');
    const common = { projectUuid, serverUuid: SERVER_UUID, environmentUuid, portsExposes: '80' };

    const image = await coolify.createApplication(
      { kind: 'docker-image', image: 'ghcr.io/vrs/satellite', tag: '1.2.3' },
      { ...common, name: 'img', domains: 'https://x.vrs.gmbh' },
    );
    expect(image.domains).toEqual(['https://x.vrs.gmbh']);
    const imageApp = await coolify.getApplication(image.uuid);
    expect(imageApp).toMatchObject({
      name: 'img',
      fqdn: 'https://x.vrs.gmbh',
      domains: ['https://x.vrs.gmbh'],
      status: 'exited',
      dockerImage: 'ghcr.io/vrs/satellite',
      dockerTag: '1.2.3',
      portsExposes: '80',
      isForceHttpsEnabled: true,
    });

    const git = await coolify.createApplication(
      {
        kind: 'git-deploy-key',
        gitRepository: 'git@github.com:vrs/site.git',
        gitBranch: 'main',
        buildPack: 'dockerfile',
        privateKeyUuid: 'key-1',
      },
      { ...common, name: 'git', domains: ['https://y.vrs.gmbh', 'https://www.y.vrs.gmbh'] },
    );
    expect(await coolify.getApplication(git.uuid)).toMatchObject({
      fqdn: 'https://y.vrs.gmbh,https://www.y.vrs.gmbh',
      gitRepository: 'git@github.com:vrs/site.git',
      gitBranch: 'main',
      buildPack: 'dockerfile',
      isForceHttpsEnabled: true,
    });
    const stored = sim.applications().find((a) => a.uuid === git.uuid);
    expect(stored?.source).toBe('private-deploy-key');
    expect(stored?.request).toMatchObject({ instant_deploy: false, is_force_https_enabled: true });

    const listed = await coolify.listApplications();
    expect(listed.map((a) => a.uuid)).toEqual(expect.arrayContaining([image.uuid, git.uuid]));

    // Another app on the same host is a domain conflict: permanent 409.
    const conflict = await caught(
      coolify.createApplication(
        {
          kind: 'git-public',
          gitRepository: 'https://github.com/vrs/x',
          gitBranch: 'main',
          buildPack: 'nixpacks',
        },
        { ...common, name: 'dup', domains: 'https://x.vrs.gmbh' },
      ),
    );
    expect(conflict).toMatchObject({ transient: false, code: 409, httpStatus: 409 });
  });

  it('maps a 422 for an unknown field to a permanent error with the field errors', async () => {
    const coolify = client();
    const { projectUuid, environmentUuid } = await newProject('unknown-field');
    // Bypass the client's field list through the raw API to provoke the 422 Coolify gives.
    const res = await fetch(new URL('applications/dockerimage', served.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${LOCAL_COOLIFY_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        project_uuid: projectUuid,
        server_uuid: SERVER_UUID,
        environment_uuid: environmentUuid,
        docker_registry_image_name: 'nginx',
        fqdn: 'https://z.vrs.gmbh',
      }),
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      message: 'Validation failed.',
      errors: { fqdn: ['This field is not allowed.'] },
    });

    // Through the client: the same validation failure (bad build pack value slips past the types).
    const err = await caught(
      coolify.createApplication(
        {
          kind: 'git-public',
          gitRepository: 'https://github.com/vrs/x',
          gitBranch: 'main',
          buildPack: 'heroku' as 'nixpacks',
        },
        {
          projectUuid,
          environmentUuid,
          serverUuid: SERVER_UUID,
          name: 'bad',
          domains: [],
          portsExposes: '80',
        },
      ),
    );
    expect(err).toBeInstanceOf(ExternalServiceError);
    expect(err).toMatchObject({ service: 'coolify', transient: false, code: 422 });
    expect(err.fieldErrors).toEqual({ build_pack: ['The selected build pack is invalid.'] });
    expect(err.message).toContain('Validation failed.');
  });

  it('upserts env vars: twice leaves one var per key with the latest value', async () => {
    const coolify = client();
    const { projectUuid, environmentUuid } = await newProject('envvars');
    const app = await coolify.createApplication(
      { kind: 'docker-image', image: 'nginx', tag: 'latest' },
      {
        projectUuid,
        environmentUuid,
        serverUuid: SERVER_UUID,
        name: 'e',
        domains: 'https://e.vrs.gmbh',
        portsExposes: '80',
      },
    );
    await coolify.upsertEnvs(app.uuid, [
      { key: 'A', value: '1' },
      { key: 'B', value: '2', isBuildtime: false },
    ]);
    const second = await coolify.upsertEnvs(app.uuid, [
      { key: 'A', value: '10' },
      { key: 'B', value: '20' },
    ]);
    expect(second.map((e) => [e.key, e.value])).toEqual([
      ['A', '10'],
      ['B', '20'],
    ]);
    const envs = await coolify.listEnvs(app.uuid);
    expect(envs).toHaveLength(2);
    expect(envs.find((e) => e.key === 'B')).toMatchObject({
      value: '20',
      isBuildtime: false,
      isRuntime: true,
    });
  });

  it('deploys, polls until finished, and the simulator reports the app with its envs', async () => {
    const coolify = client();
    const { projectUuid, environmentUuid } = await newProject('deploy');
    const app = await coolify.createApplication(
      { kind: 'docker-image', image: 'ghcr.io/vrs/satellite', tag: '1' },
      {
        projectUuid,
        environmentUuid,
        serverUuid: SERVER_UUID,
        name: 'sat',
        domains: 'https://d.vrs.gmbh',
        portsExposes: '80',
      },
    );
    await coolify.upsertEnvs(app.uuid, [{ key: 'VRS_PROJECT_ID', value: 'p-1' }]);

    const { deploymentUuid } = await coolify.deploy(app.uuid);
    expect(deploymentUuid).toEqual(expect.any(String));
    const first = await coolify.getDeployment(deploymentUuid!);
    expect(first?.status).toMatch(/^(queued|in_progress)$/);

    // Gotcha 1: a second deploy without force is skipped and its uuid never exists.
    const skipped = await coolify.deploy(app.uuid);
    expect(skipped.deploymentUuid).not.toBe(deploymentUuid);
    expect(await coolify.getDeployment(skipped.deploymentUuid!)).toBeNull();

    const done = await pollDeployment(coolify, deploymentUuid!);
    expect(done).toMatchObject({ deploymentUuid, status: 'finished', applicationName: 'sat' });
    expect((await coolify.getApplication(app.uuid)).status).toBe('running:healthy');
    expect(finished.filter((f) => f.uuid === app.uuid)).toEqual([
      { uuid: app.uuid, name: 'sat', fqdn: 'https://d.vrs.gmbh', envs: { VRS_PROJECT_ID: 'p-1' } },
    ]);

    const forced = await coolify.deploy(app.uuid, { force: true });
    await pollDeployment(coolify, forced.deploymentUuid!);
    const list = await coolify.listApplicationDeployments(app.uuid);
    expect(list.count).toBe(2);
    expect(list.deployments.map((d) => d.deploymentUuid)).toEqual([forced.deploymentUuid, deploymentUuid]);
    expect(finished.filter((f) => f.uuid === app.uuid)).toHaveLength(2);
  });

  it('maps 429 and 500 to transient errors (with Retry-After), retrying GETs only', async () => {
    faults.add({ service: 'coolify', operation: 'GET /projects', mode: 'http_429' });
    const rateLimited = await caught(client({ retries: 0 }).listProjects());
    expect(rateLimited).toMatchObject({ transient: true, code: 429, retryAfterSeconds: 1 });
    expect(rateLimited.message).toContain('retry after 1s');
    faults.clear();

    faults.add({ service: 'coolify', operation: 'POST /projects', mode: 'http_500', times: 1 });
    const serverError = await caught(client().createProject({ name: 'never' }));
    expect(serverError).toMatchObject({ transient: true, code: 500 });

    // A GET gets through a single 500 thanks to its retries.
    faults.add({ service: 'coolify', operation: 'GET /projects', mode: 'http_500', times: 1 });
    await expect(client().listProjects()).resolves.toEqual(expect.any(Array));
  });

  it('maps the simulated `error` fault to a permanent error', async () => {
    faults.add({ service: 'coolify', operation: 'GET /applications/{uuid}', mode: 'error' });
    const err = await caught(client().getApplication('whatever'));
    expect(err).toMatchObject({ transient: false, code: 400 });
  });

  it('rejects a missing or wrong token with a permanent 401 that does not leak the token', async () => {
    const wrong = await caught(client({ token: 'secret-wrong-token' }).listProjects());
    expect(wrong).toMatchObject({ transient: false, code: 401 });
    expect(wrong.message).toContain('Unauthenticated.');
    expect(wrong.message).not.toContain('secret-wrong-token');

    const res = await fetch(new URL('projects', served.url));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: 'Unauthenticated.' });
  });

  it('turns a hanging Coolify into a transient timeout within the client timeout', async () => {
    faults.add({ service: 'coolify', operation: 'GET /applications', mode: 'timeout' });
    const started = Date.now();
    const err = await caught(client({ timeoutMs: 150, retries: 1 }).listApplications());
    expect(err).toMatchObject({ transient: true, code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('cuts a call to the time the invocation has left, and retries only while a retry still fits', async () => {
    faults.add({ service: 'coolify', operation: 'GET /applications', mode: 'timeout' });
    const started = Date.now();
    // A 10 s client timeout with retries, in an invocation with 2.5 s left (1.5 s kept for writes).
    const err = await caught(
      withDeadline(2_500, () => client({ timeoutMs: 10_000, retries: 2 }).listApplications()),
    );
    expect(err).toMatchObject({ transient: true, code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1_800);
  });

  it('does not start a call the invocation has no time left for', async () => {
    await expect(withDeadline(1_000, () => client().listApplications())).rejects.toMatchObject({
      name: 'Transient',
      message: expect.stringMatching(/OutOfTime/),
    });
  });

  it('finds an application by tag, names the app holding a domain in a 409, and deletes apps and projects', async () => {
    const coolify = client();
    const { projectUuid, environmentUuid } = await newProject('lifecycle');
    const common = { projectUuid, serverUuid: SERVER_UUID, environmentUuid, portsExposes: '80' };
    const source = { kind: 'docker-image', image: 'nginx', tag: 'latest' } as const;
    const app = await coolify.createApplication(source, {
      ...common,
      name: 'tagged',
      domains: 'https://tagged.vrs.gmbh',
      tags: ['vrs-tagged'],
    });
    await coolify.createApplication(source, { ...common, name: 'other', domains: 'https://other.vrs.gmbh' });

    expect((await coolify.listApplications({ tag: 'vrs-tagged' })).map((a) => a.uuid)).toEqual([app.uuid]);
    const conflict = await caught(
      coolify.createApplication(source, { ...common, name: 'again', domains: 'https://tagged.vrs.gmbh' }),
    );
    expect(conflict.conflicts).toEqual([
      { domain: 'tagged.vrs.gmbh', resourceName: 'tagged', resourceUuid: app.uuid },
    ]);

    // A project with an application cannot go; once empty it can. Deleting twice is fine.
    expect(await caught(coolify.deleteProject(projectUuid))).toMatchObject({ httpStatus: 400 });
    for (const a of await coolify.listApplications()) {
      if (sim.applications().find((s) => s.uuid === a.uuid)?.project_uuid === projectUuid)
        await coolify.deleteApplication(a.uuid);
    }
    await coolify.deleteApplication(app.uuid);
    expect(await caught(coolify.getApplication(app.uuid))).toMatchObject({ httpStatus: 404 });
    await coolify.deleteProject(projectUuid);
    await coolify.deleteProject(projectUuid);
    expect(sim.projects().some((p) => p.uuid === projectUuid)).toBe(false);
  });

  it('counts the calls it answers by operation, and the list items it sent', async () => {
    const before = sim.usage();
    await client().listProjects();
    await client()
      .getApplication('nope')
      .catch(() => undefined);

    const after = sim.usage();
    expect(after.calls['GET /projects']).toBe((before.calls['GET /projects'] ?? 0) + 1);
    expect(after.calls['GET /applications/{uuid}']).toBe((before.calls['GET /applications/{uuid}'] ?? 0) + 1);
    expect(after.listedItems - before.listedItems).toBe(sim.projects().length);
  });

  it('reports a 404 for unknown resources as a permanent error', async () => {
    const err = await caught(client().getApplication('nope'));
    expect(err).toMatchObject({ transient: false, code: 404, httpStatus: 404 });
    expect(await client().getDeployment('nope')).toBeNull();
  });
});

describe('CoolifyClient.updateApplicationDomains', () => {
  const image = { kind: 'docker-image', image: 'ghcr.io/vrs/satellite', tag: '1' } as const;
  async function newApp(name: string, domains: string) {
    const { projectUuid, environmentUuid } = await newProject(name);
    const common = { projectUuid, environmentUuid, serverUuid: SERVER_UUID, portsExposes: '80' };
    return (await client().createApplication(image, { ...common, name, domains })).uuid;
  }
  const customer = ['https://mueller-bau.de', 'https://www.mueller-bau.de', 'https://mueller-bau.vrs.gmbh'];

  it('replaces the domains, which GET and the list show as fqdn; the same set again changes nothing', async () => {
    const coolify = client();
    const uuid = await newApp('mueller-bau', 'https://mueller-bau.vrs.gmbh');

    await coolify.updateApplicationDomains(uuid, customer);

    expect(await coolify.getApplication(uuid)).toMatchObject({
      fqdn: customer.join(','),
      domains: customer,
      isForceHttpsEnabled: true,
    });
    expect((await coolify.listApplications()).find((a) => a.uuid === uuid)?.domains).toEqual(customer);
    const raw = await fetch(new URL(`applications/${uuid}`, served.url), {
      headers: { authorization: `Bearer ${LOCAL_COOLIFY_TOKEN}` },
    });
    expect(await raw.json()).toMatchObject({ fqdn: customer.join(',') });

    const stored = () => sim.applications().find((a) => a.uuid === uuid)!;
    const before = stored();
    await new Promise((r) => setTimeout(r, 5));
    await coolify.updateApplicationDomains(uuid, customer);
    expect(stored()).toEqual(before);
  });

  it('answers a domain another application serves with a permanent 409 naming it, and changes nothing', async () => {
    const coolify = client();
    const other = await newApp('schulz', 'https://schulz.vrs.gmbh');
    const uuid = await newApp('meier', 'https://meier.vrs.gmbh');

    const err = await caught(
      coolify.updateApplicationDomains(uuid, ['https://meier.vrs.gmbh', 'https://schulz.vrs.gmbh']),
    );

    expect(err).toMatchObject({ transient: false, code: 409, httpStatus: 409 });
    expect(err.conflicts).toEqual([
      { domain: 'schulz.vrs.gmbh', resourceName: 'schulz', resourceUuid: other },
    ]);
    expect((await coolify.getApplication(uuid)).domains).toEqual(['https://meier.vrs.gmbh']);
  });

  it("refuses invalid URLs with a permanent 422 in Coolify's words, and an empty list before calling", async () => {
    const coolify = client();
    const uuid = await newApp('invalid', 'https://invalid.vrs.gmbh');

    const noScheme = await caught(coolify.updateApplicationDomains(uuid, ['invalid-bau.de']));
    expect(noScheme).toMatchObject({ transient: false, code: 422 });
    expect(noScheme.fieldErrors).toEqual({ '': ['Invalid URL: invalid-bau.de'] });
    expect(noScheme.message).toContain('Validation failed. (Invalid URL: invalid-bau.de)');
    const ftp = await caught(coolify.updateApplicationDomains(uuid, ['ftp://invalid-bau.de']));
    expect(ftp.fieldErrors?.['']).toEqual([
      'Invalid URL scheme: ftp for URL: ftp://invalid-bau.de. Only http and https are supported.',
    ]);

    const calls = sim.usage().calls['PATCH /applications/{uuid}'];
    await expect(coolify.updateApplicationDomains(uuid, [' '])).rejects.toBeInstanceOf(ValidationError);
    expect(sim.usage().calls['PATCH /applications/{uuid}']).toBe(calls);
    expect((await coolify.getApplication(uuid)).domains).toEqual(['https://invalid.vrs.gmbh']);
  });

  it('maps a 5xx to a transient error without retrying, and a 404 for an unknown app', async () => {
    const uuid = await newApp('faulty', 'https://faulty.vrs.gmbh');
    faults.add({ service: 'coolify', operation: 'PATCH /applications/{uuid}', mode: 'http_500', times: 2 });
    const err = await caught(client().updateApplicationDomains(uuid, ['https://faulty-bau.de']));
    expect(err).toMatchObject({ transient: true, code: 500 });
    expect(faults.list()).toHaveLength(1); // one of the two faults left: PATCH is not retried
    faults.clear();
    expect((await client().getApplication(uuid)).domains).toEqual(['https://faulty.vrs.gmbh']);

    expect(await caught(client().updateApplicationDomains('nope', ['https://x.de']))).toMatchObject({
      transient: false,
      httpStatus: 404,
    });
  });
});

describe('Coolify simulator', () => {
  const api = (path: string, init: RequestInit = {}) =>
    fetch(new URL(path.replace(/^\//, ''), served.url), {
      ...init,
      headers: { authorization: `Bearer ${LOCAL_COOLIFY_TOKEN}`, 'content-type': 'application/json' },
    });

  it('answers 409 for an existing env key on POST /applications/{uuid}/envs and 404 for unknown deploys', async () => {
    const { projectUuid, environmentUuid } = await newProject('sim-shapes');
    const app = await client().createApplication(
      { kind: 'docker-image', image: 'nginx', tag: 'latest' },
      {
        projectUuid,
        environmentUuid,
        serverUuid: SERVER_UUID,
        name: 's',
        domains: 'https://s.vrs.gmbh',
        portsExposes: '80',
      },
    );
    const body = JSON.stringify({ key: 'K', value: 'v' });
    expect((await api(`/applications/${app.uuid}/envs`, { method: 'POST', body })).status).toBe(201);
    const again = await api(`/applications/${app.uuid}/envs`, { method: 'POST', body });
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({
      message: 'Environment variable already exists. Use PATCH request to update it.',
    });

    const unknown = await api('/deploy?uuid=nope', { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: 'No resources found.' });
    expect(await caught(client().deploy('nope'))).toMatchObject({ transient: false, code: 404 });

    // JSON body with a comma list works like the query.
    const viaBody = await api('/deploy', {
      method: 'POST',
      body: JSON.stringify({ uuid: `${app.uuid},nope` }),
    });
    expect(viaBody.status).toBe(200);
    expect(await viaBody.json()).toMatchObject({
      deployments: [{ resource_uuid: app.uuid, deployment_uuid: expect.any(String) }],
    });
  });

  it('validates PATCH /applications/{uuid} like Coolify: empty body, unknown fields, instant_deploy', async () => {
    const { projectUuid, environmentUuid } = await newProject('sim-patch');
    const app = await client().createApplication(
      { kind: 'docker-image', image: 'nginx', tag: 'latest' },
      {
        projectUuid,
        environmentUuid,
        serverUuid: SERVER_UUID,
        name: 'p',
        domains: 'https://p.vrs.gmbh',
        portsExposes: '80',
      },
    );
    const patch = (body: unknown) =>
      api(`/applications/${app.uuid}`, { method: 'PATCH', body: JSON.stringify(body) });

    const empty = await patch({});
    expect(empty.status).toBe(400);
    expect(await empty.json()).toEqual({ message: 'Invalid request.', error: 'Empty JSON.' });
    // The spec lists server_uuid for PATCH; the controller refuses it.
    const unknown = await patch({ domains: 'https://p-bau.de', fqdn: 'x', server_uuid: SERVER_UUID });
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toEqual({
      message: 'Validation failed.',
      errors: { fqdn: ['This field is not allowed.'], server_uuid: ['This field is not allowed.'] },
    });
    // Blank entries and stray commas are dropped.
    const ok = await patch({ domains: ',https://p-bau.de, https://p.vrs.gmbh,', instant_deploy: true });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ uuid: app.uuid });
    const stored = sim.applications().find((a) => a.uuid === app.uuid);
    expect(stored?.fqdn).toBe('https://p-bau.de,https://p.vrs.gmbh');
    expect(sim.deployments().filter((d) => d.application_uuid === app.uuid)).toHaveLength(1);
  });

  it('serves the satellite on every domain the app had at its latest deployment', async () => {
    const key = 'vrs_sat-key';
    const marketplace = await serveSatelliteMarketplace('p-sat', key);
    const fleet = new SatelliteFleet();
    const own = createCoolifySimulator({
      faults: new FaultRegistry(),
      deployDurationMs: 20,
      onDeploymentFinished: (app) => fleet.start(app),
    });
    const ownServed = await serveSimulator(own);
    const coolify = new CoolifyClient({ baseUrl: ownServed.url, token: LOCAL_COOLIFY_TOKEN });
    const health = (domain: string) => fleet.health(domain).status;
    async function deployAndWait(appUuid: string, healthyOn: string) {
      const { deploymentUuid } = await coolify.deploy(appUuid, { force: true });
      await pollDeployment(coolify, deploymentUuid!);
      await expect.poll(() => health(healthyOn), { timeout: 5_000, interval: 10 }).toBe(200);
    }
    try {
      const { uuid: projectUuid } = await coolify.createProject({ name: 'sat' });
      const env = await coolify.getEnvironment(projectUuid, 'production');
      const app = await coolify.createApplication(
        { kind: 'docker-image', image: 'ghcr.io/vrs/satellite', tag: '1' },
        {
          projectUuid,
          environmentUuid: env.uuid,
          serverUuid: SERVER_UUID,
          name: 'sat',
          domains: 'https://sat.vrs.gmbh',
          portsExposes: '80',
        },
      );
      await coolify.upsertEnvs(app.uuid, [
        { key: 'VRS_PROJECT_ID', value: 'p-sat' },
        { key: 'VRS_MARKETPLACE_URL', value: marketplace.url },
        { key: 'VRS_MARKETPLACE_KEY', value: key },
      ]);
      await deployAndWait(app.uuid, 'sat.vrs.gmbh');
      expect(health('sat-bau.de')).toBe(502);

      // New domains answer only once deployed.
      await coolify.updateApplicationDomains(app.uuid, [
        'https://sat-bau.de',
        'https://www.sat-bau.de',
        'https://sat.vrs.gmbh',
      ]);
      expect(health('sat-bau.de')).toBe(502);
      await deployAndWait(app.uuid, 'sat-bau.de');
      expect([health('www.sat-bau.de'), health('SAT.vrs.gmbh')]).toEqual([200, 200]);
      expect(fleet.get('www.sat-bau.de')).toMatchObject({
        domain: 'sat-bau.de',
        domains: ['sat-bau.de', 'www.sat-bau.de', 'sat.vrs.gmbh'],
        projectId: 'p-sat',
      });

      // A removed domain keeps answering until the next deployment, then stops.
      await coolify.updateApplicationDomains(app.uuid, ['https://sat-bau.de']);
      expect(health('sat.vrs.gmbh')).toBe(200);
      await deployAndWait(app.uuid, 'sat-bau.de');
      expect([health('sat.vrs.gmbh'), health('www.sat-bau.de')]).toEqual([502, 502]);
      expect(fleet.list()).toHaveLength(1);
    } finally {
      await ownServed.close();
      await marketplace.close();
    }
  });

  it('stops and starts an application like Coolify: the satellite stops with it and comes back with the start deployment', async () => {
    const key = 'vrs_stop-key';
    const marketplace = await serveSatelliteMarketplace('p-stop', key);
    const fleet = new SatelliteFleet();
    const own = createCoolifySimulator({
      faults: new FaultRegistry(),
      deployDurationMs: 20,
      onDeploymentFinished: (app) => fleet.start(app),
      onApplicationStopped: (app) => fleet.stop(app.envs.VRS_PROJECT_ID),
    });
    const ownServed = await serveSimulator(own);
    const coolify = new CoolifyClient({ baseUrl: ownServed.url, token: LOCAL_COOLIFY_TOKEN });
    const health = () => fleet.health('stop.vrs.gmbh').status;
    try {
      const { uuid: projectUuid } = await coolify.createProject({ name: 'stop' });
      const env = await coolify.getEnvironment(projectUuid, 'production');
      const app = await coolify.createApplication(
        { kind: 'docker-image', image: 'ghcr.io/vrs/satellite', tag: '1' },
        {
          projectUuid,
          environmentUuid: env.uuid,
          serverUuid: SERVER_UUID,
          name: 'stop',
          domains: 'https://stop.vrs.gmbh',
          portsExposes: '80',
        },
      );
      await coolify.upsertEnvs(app.uuid, [
        { key: 'VRS_PROJECT_ID', value: 'p-stop' },
        { key: 'VRS_MARKETPLACE_URL', value: marketplace.url },
        { key: 'VRS_MARKETPLACE_KEY', value: key },
      ]);
      const first = await coolify.startApplication(app.uuid);
      expect(first.message).toBe('Deployment request queued.');
      // A second start while one is queued is skipped: a message, no deployment uuid.
      expect(await coolify.startApplication(app.uuid)).toEqual({
        deploymentUuid: null,
        message: 'Deployment already queued for this commit.',
      });
      await pollDeployment(coolify, first.deploymentUuid!);
      await expect.poll(health, { timeout: 5_000, interval: 10 }).toBe(200);
      expect(isApplicationRunning(await coolify.getApplication(app.uuid))).toBe(true);

      await coolify.stopApplication(app.uuid);
      expect(isApplicationStopped(await coolify.getApplication(app.uuid))).toBe(true);
      expect(health()).toBe(502);
      await coolify.stopApplication(app.uuid); // stopping a stopped application is fine

      const again = await coolify.startApplication(app.uuid);
      await pollDeployment(coolify, again.deploymentUuid!);
      await expect.poll(health, { timeout: 5_000, interval: 10 }).toBe(200);

      await coolify.deleteApplication(app.uuid);
      expect(health()).toBe(502);
      expect(await caught(coolify.stopApplication(app.uuid))).toMatchObject({ code: 404, transient: false });
      expect(await caught(coolify.startApplication(app.uuid))).toMatchObject({ code: 404, transient: false });
    } finally {
      await ownServed.close();
      await marketplace.close();
    }
  });

  it('keeps its state in persistPath across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coolify-sim-'));
    try {
      const persistPath = join(dir, 'coolify.json');
      const first = createCoolifySimulator({ faults: new FaultRegistry(), persistPath });
      const one = await serveSimulator(first);
      const { uuid } = await new CoolifyClient({
        baseUrl: one.url,
        token: LOCAL_COOLIFY_TOKEN,
      }).createProject({
        name: 'kept',
      });
      await one.close();

      const second = createCoolifySimulator({ faults: new FaultRegistry(), persistPath });
      expect(second.projects().map((p) => p.uuid)).toEqual([uuid]);
      expect(second.environments().map((e) => e.name)).toEqual(['production']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
