import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.js';
import { servers } from '../../infra/local/seed/local-servers.js';
import type { CoolifyUsage } from '../../infra/local/simulators/coolify.js';
import { LOCAL_COOLIFY_TOKEN } from '../../infra/local/simulators/coolify.js';
import { coolify } from '../../shared/integrations/coolify/from-secret.js';
import {
  getProject,
  type Project,
  transitionProject,
  updateProject,
} from '../../shared/projects/projects-table.js';
import { createCoolifyApplication } from '../../shared/provisioning/tasks/create-coolify-application.js';
import { hashApiKey } from '../../shared/satellites/api-key.js';
import { addCoolifyFleet } from '../support/coolify-fleet.js';
import { serveSatelliteMarketplace } from '../support/satellite-marketplace.js';
import { sharedEngines } from '../support/shared-engines.js';
import { api, orderBody, waitForStatus } from './support/api.js';

// CreateCoolifyApplication against the Coolify simulator: what it costs per provisioning as the
// fleet grows, and that duplicate runs and unreadable env values still end in one application
// holding a key we accept.

let stack: LocalStack;
let staff: string;
let call: ReturnType<typeof api>['call'];

beforeAll(async () => {
  process.env.LOG_LEVEL = 'SILENT';
  // Deployments finish when first looked at, so a provisioning makes the same calls every time.
  stack = await startLocalStack({
    port: 0,
    waitMs: 20,
    retryIntervalMs: 20,
    deployDurationMs: 0,
    ...sharedEngines(),
  });
  // The tests below run CreateCoolifyApplication's code in this process: give it that function's environment.
  Object.assign(process.env, stack.environmentOf('tasks/create-coolify-application'));
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

const stored = async (id: string): Promise<Project> => (await getProject(id))!;
const appOf = (id: string) => stack.coolify.applications().filter((a) => a.name === `vrs-${id}`);
/** The project the tests below share, ready for CreateCoolifyApplication. */
let id: string;

const keyAtCoolify = (id: string) => appOf(id)[0]?.envs.find((e) => e.key === 'VRS_MARKETPLACE_KEY')?.value;

describe('Coolify calls per provisioning', () => {
  it('are the same with 500 other applications at Coolify as with none, and list none of them', async () => {
    const provision = async (subdomain: string) => {
      const before = stack.coolify.usage();
      const id = await order(subdomain);
      expect((await waitForStatus(stack, staff, id, ['active', 'error'])).status).toBe('active');
      return usedSince(before, stack.coolify.usage());
    };

    const alone = await provision('flotte-null');
    await addCoolifyFleet(stack, 500);
    expect(stack.coolify.applications()).toHaveLength(501);
    const inFleet = await provision('flotte-500');

    expect(inFleet).toEqual(alone);
    expect(Object.keys(alone.calls)).not.toContain('GET /projects');
    expect(Object.keys(alone.calls)).not.toContain('GET /applications');
  });
});

describe('two CreateCoolifyApplication runs at once', () => {
  it('leave one Coolify project and one application, holding a key the satellite API accepts', async () => {
    // A project whose provisioning stopped before Coolify (DNS failed), back in progress as a
    // redrive would leave it; then the task runs twice at the same time.
    await call('POST', '/sim/faults', {
      body: { service: 'inwx', operation: 'nameserver.createRecord', mode: 'error' },
    });
    id = await order('zwilling');
    expect((await waitForStatus(stack, staff, id, ['error', 'active'])).status).toBe('error');
    await call('DELETE', '/sim/faults');
    await transitionProject(id, 'pending_domain', {
      fields: { provisioningError: undefined },
      from: ['error'],
      log: { action: 'retry', oldStatus: 'error', message: 'test: back to pending_domain' },
    });

    const runs = await Promise.allSettled([createCoolifyApplication(id), createCoolifyApplication(id)]);

    expect(runs.map((r) => (r.status === 'rejected' ? String(r.reason) : r.status))).toEqual([
      'fulfilled',
      'fulfilled',
    ]);
    const project = await stored(id);
    const projects = stack.coolify.projects().filter((p) => p.name === `vrs-${id}`);
    expect(projects.map((p) => p.uuid)).toEqual([project.coolifyProjectUuid]);
    expect(appOf(id).map((a) => a.uuid)).toEqual([project.coolifyAppUuid]);
    const key = keyAtCoolify(id)!;
    expect(hashApiKey(key)).toBe(project.apiKeyHash);
    expect((await call('GET', `/v1/projects/${id}/config`, { apiKey: key })).status).toBe(200);
  });

  it('a rerun whose token cannot read env values replaces a key it cannot compare', async () => {
    // Coolify holds a key we never issued (changed by hand, or left by an older run) …
    const client = await coolify();
    const appUuid = (await stored(id)).coolifyAppUuid!;
    await client.upsertEnvs(appUuid, [{ key: 'VRS_MARKETPLACE_KEY', value: 'vrs_set-by-hand-in-coolify' }]);
    // … and the token lacks read:sensitive, so Coolify hides every value.
    const listEnvs = client.listEnvs.bind(client);
    const hidden = vi
      .spyOn(client, 'listEnvs')
      .mockImplementation(async (uuid) => (await listEnvs(uuid)).map((e) => ({ ...e, value: null })));
    try {
      await createCoolifyApplication(id);
    } finally {
      hidden.mockRestore();
    }

    const key = keyAtCoolify(id)!;
    expect(key).not.toBe('vrs_set-by-hand-in-coolify');
    expect(hashApiKey(key)).toBe((await stored(id)).apiKeyHash);
    expect((await call('GET', `/v1/projects/${id}/config`, { apiKey: key })).status).toBe(200);
  });
  it('a run that loses the race for the application deletes the one it created and takes the winner', async () => {
    // The project needs its application again (the old one is gone at Coolify).
    const client = await coolify();
    await client.deleteApplication((await stored(id)).coolifyAppUuid!);
    await updateProject(id, { coolifyAppUuid: undefined, coolifyAppCreateStartedAt: undefined });
    // While this run creates its application, a concurrent run creates another and stores it first
    // (real Coolify can let both through its domain check; the simulator needs the override).
    const create = client.createApplication.bind(client);
    let winner = '';
    const racing = vi.spyOn(client, 'createApplication').mockImplementationOnce(async (source, common) => {
      const mine = await create(source, common);
      const res = await fetch(`${stack.url}/sim/coolify/api/v1/applications/dockerimage`, {
        method: 'POST',
        headers: { authorization: `Bearer ${LOCAL_COOLIFY_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          project_uuid: common.projectUuid,
          environment_uuid: common.environmentUuid,
          server_uuid: common.serverUuid,
          name: common.name,
          domains: common.domains,
          docker_registry_image_name: 'nginx',
          tags: common.tags,
          force_domain_override: true,
        }),
      });
      winner = ((await res.json()) as { uuid: string }).uuid;
      await updateProject(id, { coolifyAppUuid: winner }, { onlyIfUnset: 'coolifyAppUuid' });
      return mine;
    });
    try {
      await createCoolifyApplication(id);
    } finally {
      racing.mockRestore();
    }

    expect(appOf(id).map((a) => a.uuid)).toEqual([winner]);
    expect((await stored(id)).coolifyAppUuid).toBe(winner);
    expect(hashApiKey(keyAtCoolify(id)!)).toBe((await stored(id)).apiKeyHash);
  });
});

describe('a run after a create whose uuid was never stored', () => {
  it('finds the Coolify project by name and the application by tag instead of creating them again', async () => {
    // As if earlier runs had crashed right after Coolify created each (their start was recorded).
    const before = await stored(id);
    await updateProject(id, { coolifyProjectUuid: undefined, coolifyAppUuid: undefined });
    const usage = stack.coolify.usage();

    await createCoolifyApplication(id);

    const after = await stored(id);
    expect([after.coolifyProjectUuid, after.coolifyAppUuid]).toEqual([
      before.coolifyProjectUuid,
      before.coolifyAppUuid,
    ]);
    expect(appOf(id)).toHaveLength(1);
    const calls = usedSince(usage, stack.coolify.usage()).calls;
    expect(calls).toMatchObject({ 'GET /projects': 1, 'GET /applications': 1 });
    expect(Object.keys(calls).filter((op) => op.startsWith('POST'))).toEqual([]);
  });
});

describe("a customer's own domain added to a deployed application", () => {
  it('answers the health check on every domain after the next deployment, and no more on a removed one', async () => {
    // A satellite whose marketplace is a stub, so this needs no order (the Coolify side is what is tested).
    const key = 'vrs_custom-domain-key';
    const marketplace = await serveSatelliteMarketplace('p-custom-domain', key);
    const client = await coolify();
    const health = async (domain: string) => (await call('GET', `/sim/satellites/${domain}/health`)).status;
    const deployed = async (appUuid: string, healthyOn: string) => {
      const { deploymentUuid } = await client.deploy(appUuid, { force: true });
      await expect
        .poll(async () => (await client.getDeployment(deploymentUuid!))?.status, { timeout: 5_000 })
        .toBe('finished');
      await expect.poll(() => health(healthyOn), { timeout: 10_000, interval: 20 }).toBe(200);
    };
    try {
      const { uuid: projectUuid } = await client.createProject({ name: 'custom-domain' });
      const env = await client.getEnvironment(projectUuid, 'production');
      const app = await client.createApplication(
        { kind: 'docker-image', image: 'ghcr.io/vrs/satellite', tag: '1' },
        {
          projectUuid,
          environmentUuid: env.uuid,
          serverUuid: servers(new Date().toISOString())[0]!.coolifyUuid,
          name: 'custom-domain',
          domains: 'https://mueller-bau.vrs.gmbh',
          portsExposes: '80',
        },
      );
      await client.upsertEnvs(app.uuid, [
        { key: 'VRS_PROJECT_ID', value: 'p-custom-domain' },
        { key: 'VRS_MARKETPLACE_URL', value: marketplace.url },
        { key: 'VRS_MARKETPLACE_KEY', value: key },
      ]);
      await deployed(app.uuid, 'mueller-bau.vrs.gmbh');

      const wanted = ['https://mueller-bau.de', 'https://www.mueller-bau.de', 'https://mueller-bau.vrs.gmbh'];
      await client.updateApplicationDomains(app.uuid, wanted);
      await client.updateApplicationDomains(app.uuid, wanted); // a retried step: harmless
      expect((await client.getApplication(app.uuid)).domains).toEqual(wanted);
      expect(await health('mueller-bau.de')).toBe(502);

      await deployed(app.uuid, 'mueller-bau.de');
      expect([await health('www.mueller-bau.de'), await health('mueller-bau.vrs.gmbh')]).toEqual([200, 200]);

      await client.updateApplicationDomains(app.uuid, ['https://mueller-bau.de']);
      await deployed(app.uuid, 'mueller-bau.de');
      expect([await health('mueller-bau.vrs.gmbh'), await health('www.mueller-bau.de')]).toEqual([502, 502]);
    } finally {
      await marketplace.close();
    }
  });
});

function usedSince(before: CoolifyUsage, after: CoolifyUsage): CoolifyUsage {
  const calls: Record<string, number> = {};
  for (const [op, n] of Object.entries(after.calls)) {
    const used = n - (before.calls[op] ?? 0);
    if (used > 0) calls[op] = used;
  }
  return { calls, listedItems: after.listedItems - before.listedItems };
}
