import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../infra/local/free-port.js';
import type { LocalStack, LocalStackOptions } from '../../infra/local/local-stack.js';
import { bundles, pluginSeeds } from '../../infra/seed/catalog.js';
import { sharedBundles } from '../support/shared-engines.js';
import { api, orderBody, waitForStatus } from './support/api.js';

// `npm start` keeps its data in a directory between runs, and stopping it stops everything:
// three runs on one data directory, in one process, on one port as `npm start` uses (a restored
// satellite keeps the VRS_MARKETPLACE_URL it was deployed with).
//   run 1: order A → active; stop → no DynamoDB Local left, every port closed.
//   run 2 (a 60 s simulated deployment): A, its logs, DNS records, Coolify app, satellite, key
//          and the catalog are all still there, once; order B, which takes a server slot and
//          stops in the middle of its deployment when the stack stops.
//   run 3: B's interrupted execution is FAILED, B shows `error`; a retry brings it to active;
//          a third project C keeps the servers' slot counts equal to their projects.

process.env.LOG_LEVEL = 'SILENT';

type Json = Record<string, unknown>;
type Call = ReturnType<typeof api>['call'];

const NORMAL: LocalStackOptions = { waitMs: 20, retryIntervalMs: 20, deployDurationMs: 20 };
/** A deployment far longer than the test; polls hand back to the state machine quickly. */
const SLOW_DEPLOY: LocalStackOptions = { ...NORMAL, deployDurationMs: 60_000, pollWithinTaskMs: 100 };

let dataDir: string;
let port: number;
let stack: LocalStack | undefined;
let call: Call;
let staff: string;
/** DynamoDB Local processes that were running before this file started any (other suites may run theirs). */
let dynamoBefore: Set<number>;

/**
 * Starts the stack on the data directory. The handlers cache their AWS clients and configuration per
 * cold start (module state), as on Lambda; a restart in the same process needs fresh modules, as a
 * new `npm start` process has.
 */
async function start(opts: LocalStackOptions): Promise<LocalStack> {
  if (stack) await stop(stack); // a failed earlier run left it running
  vi.resetModules();
  const { startLocalStack } = await import('../../infra/local/local-stack.js');
  stack = await startLocalStack({ ...opts, port, dataDir, ...sharedBundles() });
  call = api(stack).call;
  staff = await stack.token('staff@vrs.gmbh', 'staff');
  // Sanity for expectStopped(): the filter sees this run's DynamoDB Local, and every port is open.
  expect(ourDynamo()).toHaveLength(1);
  for (const url of [stack.url, stack.dynamoEndpoint, stack.s3Endpoint, stack.awsEndpoint]) {
    expect(await connects(url), url).toBe(true);
  }
  return stack;
}

async function stop(s: LocalStack): Promise<void> {
  await s.stop();
  stack = undefined;
}

function dynamoProcesses(): { pid: number; args: string }[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && m[2]!.includes('DynamoDBLocal'))
    .map((m) => ({ pid: Number(m[1]), args: m[2]! }));
}
/** DynamoDB Local processes started since this file began, on this file's data directory. */
const ourDynamo = () => dynamoProcesses().filter((p) => !dynamoBefore.has(p.pid) && p.args.includes(dataDir));

function connects(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(true); // not refused
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code !== 'ECONNREFUSED'));
  });
}

async function expectStopped(s: LocalStack): Promise<void> {
  expect(ourDynamo()).toEqual([]);
  for (const url of [s.url, s.dynamoEndpoint, s.s3Endpoint, s.awsEndpoint]) {
    expect(await connects(url), `${url} still accepts connections`).toBe(false);
  }
}

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function order(subdomain: string): Promise<string> {
  const res = await call<{ project: { id: string } }>('POST', '/v1/projects', {
    token: staff,
    body: orderBody(subdomain),
  });
  expect(res.status).toBe(201);
  return res.body.project.id;
}

async function project(id: string): Promise<Json> {
  const res = await call('GET', `/v1/projects/${id}`, { token: staff });
  expect(res.status).toBe(200);
  return res.body;
}

async function logs(id: string): Promise<Json[]> {
  const res = await call<{ items: Json[] }>('GET', `/v1/projects/${id}/logs?limit=200`, { token: staff });
  expect(res.status).toBe(200);
  return res.body.items;
}

async function catalog(): Promise<Record<string, Json[]>> {
  const out: Record<string, Json[]> = {};
  for (const path of [
    '/v1/project-types',
    '/v1/bundles?projectType=business_directory',
    '/v1/plugins',
    '/v1/base-domains',
  ]) {
    const res = await call<{ items: Json[] }>('GET', path);
    expect(res.status, path).toBe(200);
    out[path] = res.body.items;
  }
  return out;
}

/** The servers as stored (no API lists them): id → projectCount. */
async function serverCounts(s: LocalStack): Promise<Record<string, number>> {
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: s.dynamoEndpoint,
      region: 'eu-central-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  try {
    const out = await doc.send(
      new QueryCommand({
        TableName: 'vrs-marketplace',
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': 'SERVERS' },
      }),
    );
    return Object.fromEntries((out.Items ?? []).map((i) => [String(i.id), Number(i.projectCount)]));
  } finally {
    doc.destroy();
  }
}

/** Each server's projectCount equals the number of these projects (all there are) assigned to it. */
async function expectSlotsConsistent(s: LocalStack, projectIds: string[]): Promise<void> {
  const counts = await serverCounts(s);
  const assigned: Record<string, number> = Object.fromEntries(Object.keys(counts).map((id) => [id, 0]));
  for (const id of projectIds) {
    const serverId = (await project(id)).serverId;
    expect(serverId, `project ${id} has no server`).toEqual(expect.any(String));
    assigned[String(serverId)] = (assigned[String(serverId)] ?? 0) + 1;
  }
  expect(counts).toEqual(assigned);
}

const keyOf = (s: LocalStack, projectId: string) =>
  s.coolify
    .applications()
    .find((a) => a.name === `vrs-${projectId}`)
    ?.envs.find((e) => e.key === 'VRS_MARKETPLACE_KEY')?.value ?? undefined;
const appsView = (s: LocalStack) =>
  s.coolify.applications().map((a) => ({ uuid: a.uuid, name: a.name, fqdn: a.fqdn, envs: a.envs }));
const recordsFor = (s: LocalStack, fqdn: string) =>
  s.inwx.records('vrs.gmbh').filter((r) => r.name === fqdn || r.name === `www.${fqdn}`);

async function satelliteState(domain: string): Promise<string | undefined> {
  const res = await call<{ items: { domain: string; state: string }[] }>('GET', '/sim/satellites');
  return res.body.items.find((s) => s.domain === domain)?.state;
}

// What run 1 leaves behind, checked in the later runs.
const before: {
  a?: string;
  project?: Json;
  logs?: Json[];
  records?: unknown[];
  apps?: unknown[];
  coolifyProjects?: number;
  catalog?: Record<string, Json[]>;
  staffToken?: string;
  urls?: string[];
} = {};
let b: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'vrs-restart-'));
  port = await freePort();
  dynamoBefore = new Set(dynamoProcesses().map((p) => p.pid));
});
afterAll(async () => {
  if (stack) await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('data persists between runs; stopping stops everything', () => {
  it('run 1: a project goes active; stop leaves no DynamoDB Local and no open port', async () => {
    const s = await start(NORMAL);
    expect(s.dataDir).toBe(dataDir);

    const a = await order('restart-eins');
    const active = await waitForStatus(s, staff, a, ['active', 'error']);
    expect(active.status).toBe('active');
    // The project is written once more after it shows `active` (SUCCEEDED status event): let it settle.
    expect((await s.stepFunctions.waitForExecution(String(active.executionArn))).status).toBe('SUCCEEDED');
    expect(await satelliteState('restart-eins.vrs.gmbh')).toBe('healthy');

    before.a = a;
    before.project = await project(a);
    before.logs = await logs(a);
    expect(before.logs.length).toBeGreaterThan(5);
    before.records = s.inwx.records('vrs.gmbh');
    expect(recordsFor(s, 'restart-eins.vrs.gmbh')).toHaveLength(2);
    before.apps = appsView(s);
    expect(before.apps).toHaveLength(1);
    before.coolifyProjects = s.coolify.projects().length;
    before.catalog = await catalog();
    before.staffToken = staff;

    await stop(s);
    await expectStopped(s);
  });

  it('run 2: project, logs, catalog, DNS, Coolify, satellite, key and downloads are all still there, once', async () => {
    const s = await start(SLOW_DEPLOY);
    const a = before.a!;

    // A token of the last run is still valid (the local signing key derives from the data directory).
    expect((await call('GET', `/v1/projects/${a}`, { token: before.staffToken! })).status).toBe(200);
    expect(await project(a)).toEqual(before.project);
    expect(await logs(a)).toEqual(before.logs);

    const cat = await catalog();
    expect(cat).toEqual(before.catalog);
    const names = (path: string, key: string) => cat[path]!.map((i) => String(i[key]));
    const bundleCodes = names('/v1/bundles?projectType=business_directory', 'code');
    expect(bundleCodes.sort()).toEqual(
      bundles
        .filter((x) => x.projectType === 'business_directory')
        .map((x) => x.code)
        .sort(),
    );
    expect(names('/v1/plugins', 'name').sort()).toEqual(pluginSeeds.map((p) => p.name).sort());
    for (const [path, items] of Object.entries(cat)) {
      const ids = items.map((i) => JSON.stringify(i.code ?? i.name ?? i.domain));
      expect(new Set(ids).size, `duplicates in ${path}`).toBe(ids.length);
    }

    expect(s.inwx.records('vrs.gmbh')).toEqual(before.records);
    expect(appsView(s)).toEqual(before.apps);
    expect(s.coolify.projects()).toHaveLength(before.coolifyProjects!);

    // The satellite comes back with its app and bootstraps again with the key it was deployed with.
    await eventually('satellite of A healthy again', async () =>
      (await satelliteState('restart-eins.vrs.gmbh')) === 'healthy' ? true : undefined,
    );
    const key = keyOf(s, a);
    expect(key).toMatch(/^vrs_/);
    const config = await call<{ projectId: string }>('GET', `/v1/projects/${a}/config`, { apiKey: key! });
    expect(config.status).toBe(200);
    expect(config.body.projectId).toBe(a);
    const dl = await call<{ url: string; sha256: string; sizeBytes: number }>(
      'POST',
      '/v1/plugins/kontakt/download',
      { apiKey: key! },
    );
    expect(dl.status).toBe(200);
    const zip = Buffer.from(await (await fetch(dl.body.url)).arrayBuffer());
    expect(createHash('sha256').update(zip).digest('hex')).toBe(dl.body.sha256);
    expect(zip.byteLength).toBe(dl.body.sizeBytes);

    // A second project takes a slot on top of the persisted counts.
    b = await order('restart-zwei');
    const provisioning = await waitForStatus(s, staff, b, ['provisioning', 'error', 'active']);
    expect(provisioning.status).toBe('provisioning');
    await expectSlotsConsistent(s, [a, b]);

    // Let the deploy flow poll the (60 s) deployment at least once, then stop it mid-flight.
    const executionArn = String(provisioning.executionArn);
    expect(executionArn).toContain('deploy-project');
    await eventually('deploy-project waiting for its deployment', async () => {
      const d = await s.stepFunctions.describeExecution(executionArn);
      return d.history.some((h) => h.type === 'StateEntered' && h.state === 'WaitForDeployment')
        ? true
        : undefined;
    });
    expect((await s.stepFunctions.describeExecution(executionArn)).status).toBe('RUNNING');

    await stop(s);
    await expectStopped(s);
  });

  it('run 3: the interrupted execution is FAILED, the project in error; a retry brings it to active', async () => {
    expect(b, 'run 2 ordered project B').toBeDefined();
    const s = await start(NORMAL);
    const a = before.a!;

    const failed = await waitForStatus(s, staff, b, ['error', 'active']);
    expect(failed.status).toBe('error');
    const executionArn = String(failed.executionArn);
    const execution = await s.stepFunctions.describeExecution(executionArn);
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('Local.RuntimeRestarted');
    expect(String(failed.provisioningError)).toMatch(/RuntimeRestarted|runtime stopped/);
    expect(failed.provisioningRetryCount).toBe(1);
    await s.mailbox.waitFor((m) => m.to.includes('staff@vrs.gmbh') && (m.text ?? '').includes(b));

    const retry = await call<{ status: string; executionArn: string }>(
      'POST',
      `/v1/admin/projects/${b}/retry`,
      { token: staff },
    );
    expect(retry.status).toBe(202);
    expect(retry.body.executionArn).toBe(executionArn);
    const done = await waitForStatus(s, staff, b, ['active', 'error']);
    expect(done.status).toBe('active');
    expect(done.provisioningError).toBeNull();
    const redriven = await s.stepFunctions.waitForExecution(executionArn);
    expect(redriven.status).toBe('SUCCEEDED');
    expect(redriven.redriveCount).toBe(1);
    expect(await satelliteState('restart-zwei.vrs.gmbh')).toBe('healthy');
    expect(recordsFor(s, 'restart-zwei.vrs.gmbh')).toHaveLength(2);
    expect(s.coolify.applications().filter((x) => x.name === `vrs-${b}`)).toHaveLength(1);
    const actions = (await logs(b)).map((l) => l.action);
    expect(actions).toContain('error');
    expect(actions).toContain('retry');

    // The retry resumed the deploy flow; it took no second slot. A third project still counts right.
    await expectSlotsConsistent(s, [a, b]);
    const c = await order('restart-drei');
    expect((await waitForStatus(s, staff, c, ['active', 'error'])).status).toBe('active');
    await expectSlotsConsistent(s, [a, b, c]);

    // A is untouched by all of it.
    expect((await project(a)).status).toBe('active');
    expect(recordsFor(s, 'restart-eins.vrs.gmbh')).toHaveLength(2);
    expect(s.coolify.applications()).toHaveLength(3);

    await stop(s);
    await expectStopped(s);
  });
});
