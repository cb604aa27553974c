import { createHash } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { api, orderBody, startTestStack, waitForStatus } from './support/api.js';
import { type Json, until } from './support/domains.js';

// Staff release plugin versions on the local runtime, as a real client: ask for an upload URL,
// PUT the ZIP to S3 (s3rver), publish. A stable release reaches licensed satellites (list and
// download, checksum of the bytes); a beta one only superadmin projects; bad ZIPs are refused and
// change nothing; a release never changes; a download needs the plugins the version requires.

let stack: LocalStack;
let call: ReturnType<typeof api>['call'];
let staff: string;
let customer: string;
let ordinary: { id: string; key: string };
let superadmin: { id: string; key: string };

const appOf = (id: string) =>
  stack.coolify.applications().find((a) => a.envs.some((e) => e.key === 'VRS_PROJECT_ID' && e.value === id));
const keyOf = (id: string) => appOf(id)?.envs.find((e) => e.key === 'VRS_MARKETPLACE_KEY')?.value ?? '';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function liveProject(subdomain: string): Promise<{ id: string; key: string }> {
  const res = await call<Json>('POST', '/v1/projects', { token: staff, body: orderBody(subdomain) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const id = res.body.project.id as string;
  await waitForStatus(stack, staff, id, ['active'], 120_000);
  await until(
    () => stack.satellites.list().find((s) => s.projectId === id)?.state === 'healthy',
    30_000,
    `${subdomain}'s satellite healthy`,
  );
  return { id, key: keyOf(id) };
}

beforeAll(async () => {
  stack = await startTestStack({ jobIntervalMs: 0 });
  ({ call } = api(stack));
  staff = await stack.token('releases@vrs.gmbh', 'staff');
  customer = await stack.token('owner@example.com', 'customer');
  [ordinary, superadmin] = await Promise.all([liveProject('release-kunde'), liveProject('release-intern')]);
  const flag = await call('PUT', `/v1/admin/projects/${superadmin.id}/superadmin`, {
    token: staff,
    body: { isSuperadmin: true },
  });
  expect(flag.status, JSON.stringify(flag.body)).toBe(200);
}, 300_000);
afterAll(async () => {
  if (stack) await until(() => stack.satellites.list().every((s) => s.state !== 'bootstrapping'), 10_000);
  await stack?.stop();
});

/** A plugin ZIP as a build would make it: the plugin folder plus manifest.json at the root. */
function pluginZip(
  name: string,
  version: string,
  opts: { manifest?: Record<string, unknown> | null; extra?: Record<string, Uint8Array> } = {},
): Uint8Array {
  const files: Record<string, Uint8Array> = {
    [`${name}/__init__.py`]: strToU8(`__version__ = "${version}"\n`),
    ...opts.extra,
  };
  if (opts.manifest !== null) {
    files['manifest.json'] = strToU8(JSON.stringify({ name, version, requires: [], ...opts.manifest }));
  }
  return zipSync(files);
}

const requestUpload = (name: string, version: string, channel: string, token = staff) =>
  call<Json>('POST', `/v1/admin/plugins/${name}/versions`, { token, body: { version, channel } });
const publish = (name: string, version: string, token = staff) =>
  call<Json>('POST', `/v1/admin/plugins/${name}/versions/${version}/publish`, { token });

async function put(uploadUrl: string, bytes: Uint8Array): Promise<void> {
  const res = await fetch(uploadUrl, { method: 'PUT', body: bytes });
  expect(res.status, await res.text()).toBe(200);
}

/** Requests an upload, PUTs the bytes, publishes: the publish's response. */
async function release(name: string, version: string, channel: string, bytes: Uint8Array) {
  const upload = await requestUpload(name, version, channel);
  expect(upload.status, JSON.stringify(upload.body)).toBe(201);
  await put(upload.body.uploadUrl, bytes);
  return { upload: upload.body, published: await publish(name, version) };
}

const offered = async (project: { id: string; key: string }, plugin: string) => {
  const res = await call<Json>('GET', `/v1/projects/${project.id}/plugins`, { apiKey: project.key });
  expect(res.status).toBe(200);
  return (res.body.items as Json[]).find((p) => p.name === plugin)?.version;
};
const download = (project: { key: string }, plugin: string) =>
  call<Json>('POST', `/v1/plugins/${plugin}/download`, { apiKey: project.key });

describe('a stable release', () => {
  const bytes = pluginZip('kontakt', '1.5.0');

  it('is offered to a licensed satellite, which downloads exactly the published bytes', async () => {
    expect(await offered(ordinary, 'kontakt')).toBe('1.4.2');

    const { upload, published } = await release('kontakt', '1.5.0', 'stable', bytes);
    expect(Date.parse(upload.expiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60 * 1000);
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(published.body).toEqual({ sha256: sha256(bytes), sizeBytes: bytes.byteLength });

    expect(await offered(ordinary, 'kontakt')).toBe('1.5.0');
    const config = await call<Json>('GET', `/v1/projects/${ordinary.id}/config`, { apiKey: ordinary.key });
    expect(config.body.plugins).toContainEqual({ name: 'kontakt', version: '1.5.0' });
    const dl = await download(ordinary, 'kontakt');
    expect(dl.status, JSON.stringify(dl.body)).toBe(200);
    expect(dl.body).toMatchObject({ version: '1.5.0', sha256: sha256(bytes), sizeBytes: bytes.byteLength });
    const fetched = new Uint8Array(await (await fetch(dl.body.url)).arrayBuffer());
    expect(sha256(fetched)).toBe(dl.body.sha256);

    const catalog = await call<Json>('GET', '/v1/plugins');
    expect((catalog.body.items as Json[]).find((p) => p.name === 'kontakt')?.latestVersion).toBe('1.5.0');
  });

  it('never changes: the same publish answers the same, other bytes or a new upload are 409', async () => {
    const again = await publish('kontakt', '1.5.0');
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ sha256: sha256(bytes), sizeBytes: bytes.byteLength });

    expect((await requestUpload('kontakt', '1.5.0', 'stable')).status).toBe(409);

    // The upload URL of 1.5.0 is still valid: the same bytes again are fine, other bytes are not.
    const first = await requestUpload('kontakt', '1.5.1', 'stable');
    expect(first.status).toBe(201);
    const same = pluginZip('kontakt', '1.5.1');
    await put(first.body.uploadUrl, same);
    expect((await publish('kontakt', '1.5.1')).status).toBe(200);
    await put(first.body.uploadUrl, same);
    expect((await publish('kontakt', '1.5.1')).body).toEqual({
      sha256: sha256(same),
      sizeBytes: same.byteLength,
    });
    await put(
      first.body.uploadUrl,
      pluginZip('kontakt', '1.5.1', { extra: { 'kontakt/x.py': strToU8('x') } }),
    );
    const conflict = await publish('kontakt', '1.5.1');
    expect(conflict.status, JSON.stringify(conflict.body)).toBe(409);

    const dl = await download(ordinary, 'kontakt');
    expect(dl.body).toMatchObject({ version: '1.5.1', sha256: sha256(same) });
  });
});

describe('a beta release', () => {
  it('is offered to superadmin projects only', async () => {
    const bytes = pluginZip('kontakt', '1.6.0-beta.1');
    const { published } = await release('kontakt', '1.6.0-beta.1', 'beta', bytes);
    expect(published.status, JSON.stringify(published.body)).toBe(200);

    expect(await offered(ordinary, 'kontakt')).toBe('1.5.1');
    expect(await offered(superadmin, 'kontakt')).toBe('1.6.0-beta.1');
    const dl = await download(superadmin, 'kontakt');
    expect(dl.body).toMatchObject({ version: '1.6.0-beta.1', sha256: sha256(bytes) });
    expect((await download(ordinary, 'kontakt')).body.version).toBe('1.5.1');
    const catalog = await call<Json>('GET', '/v1/plugins');
    expect((catalog.body.items as Json[]).find((p) => p.name === 'kontakt')?.latestVersion).toBe('1.5.1');
  });
});

describe('a bad ZIP', () => {
  const cases: [string, Uint8Array, string][] = [
    ['not a ZIP', strToU8('PK but not really a zip file'), 'zip'],
    ['no manifest', pluginZip('kontakt', '1.7.0', { manifest: null }), 'manifest.json'],
    ['another plugin', pluginZip('kontakt', '1.7.0', { manifest: { name: 'crm' } }), 'manifest.json/name'],
    [
      'another version',
      pluginZip('kontakt', '1.7.0', { manifest: { version: '1.6.9' } }),
      'manifest.json/version',
    ],
    ['../ entry', pluginZip('kontakt', '1.7.0', { extra: { '../evil.py': strToU8('x') } }), 'zip/../evil.py'],
    ['absolute entry', pluginZip('kontakt', '1.7.0', { extra: { '/abs.py': strToU8('x') } }), 'zip//abs.py'],
    ['backslash entry', pluginZip('kontakt', '1.7.0', { extra: { 'a\\b.py': strToU8('x') } }), 'zip/a\\b.py'],
    [
      'unknown requirement',
      pluginZip('kontakt', '1.7.0', { manifest: { requires: ['gibt-es-nicht'] } }),
      'manifest.json/requires',
    ],
  ];

  it.each(cases)('is refused (%s) with 400 naming the problem; nothing changes', async (_, bytes, path) => {
    // The same version again: a new upload request renews its URL.
    const upload = await requestUpload('kontakt', '1.7.0', 'stable');
    expect(upload.status).toBe(201);
    await put(upload.body.uploadUrl, bytes);
    const res = await publish('kontakt', '1.7.0');
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((res.body.errors as Json[]).map((e) => e.path)).toContain(path);

    expect(await offered(ordinary, 'kontakt')).toBe('1.5.1');
    expect((await download(ordinary, 'kontakt')).body.version).toBe('1.5.1');
  });

  it('is refused when nothing was uploaded (400), and a version never requested is 404', async () => {
    expect((await requestUpload('kontakt', '1.8.0', 'stable')).status).toBe(201);
    const none = await publish('kontakt', '1.8.0');
    expect(none.status, JSON.stringify(none.body)).toBe(400);
    expect((none.body.errors as Json[]).map((e) => e.path)).toEqual(['zip']);
    expect((await publish('kontakt', '9.9.9')).status).toBe(404);
    expect(await offered(ordinary, 'kontakt')).toBe('1.5.1');
  });
});

describe('the release routes', () => {
  it('are for staff only: a customer gets 403', async () => {
    expect((await requestUpload('kontakt', '2.0.0', 'stable', customer)).status).toBe(403);
    expect((await publish('kontakt', '1.5.1', customer)).status).toBe(403);
  });

  it('answer an unknown plugin with 404 and invalid fields with 400 naming each', async () => {
    expect((await requestUpload('gibt-es-nicht', '1.0.0', 'stable')).status).toBe(404);
    const bad = await requestUpload('kontakt', '1.2', 'nightly');
    expect(bad.status).toBe(400);
    expect((bad.body.errors as Json[]).map((e) => e.path).sort()).toEqual(['channel', 'version']);
    expect((await publish('kontakt', 'v1')).status).toBe(400);
  });
});

describe('a release that requires another plugin', () => {
  it('is downloaded only while the project holds a valid license for what it requires', async () => {
    const bytes = pluginZip('directory', '2.2.0', { manifest: { requires: ['kontakt'] } });
    const { published } = await release('directory', '2.2.0', 'stable', bytes);
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    const catalog = await call<Json>('GET', '/v1/plugins');
    expect((catalog.body.items as Json[]).find((p) => p.name === 'directory')).toMatchObject({
      latestVersion: '2.2.0',
      requires: ['kontakt'],
    });
    expect((await download(ordinary, 'directory')).body.version).toBe('2.2.0');

    const license = (action: string) =>
      call('PUT', `/v1/admin/projects/${ordinary.id}/licenses/kontakt`, {
        token: staff,
        body: { action, reason: 'Test der Abhängigkeiten' },
      });
    expect((await license('suspend')).status).toBe(200);
    const refused = await download(ordinary, 'directory');
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('"kontakt"');
    expect((await license('activate')).status).toBe(200);
    expect((await download(ordinary, 'directory')).status).toBe(200);
  });
});
