import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../../shared/satellites/api-key.js';
import { startTestTable, type TestTable } from '../../support/dynamo-table.js';
import { apiRequest, jsonBody, problemOf } from './api-request.js';
import { TABLE_NAME, useTestEnvironment } from './environment.js';
import {
  API_KEY,
  apiKeyRecord,
  domainRecord,
  licenseRecord,
  PROJECT_ID,
  pluginRecord,
  projectRecord,
  type StoredItem,
} from './stored-items.js';

// The satellite API (X-API-Key) against the real table (DynamoDB Local). The S3 presigner signs
// locally; nothing is fetched from S3.

type Handler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

let getConfig: Handler;
let downloadPlugin: Handler;
let table: TestTable;

beforeAll(async () => {
  useTestEnvironment();
  table = await startTestTable(TABLE_NAME);
  ({ handler: getConfig } = await import('../../../functions/api/get-satellite-config.js'));
  ({ handler: downloadPlugin } = await import('../../../functions/api/download-plugin.js'));
});
afterAll(async () => {
  await table?.stop();
});

beforeEach(async () => {
  await table.clearAll();
  await table.seed(
    apiKeyRecord(),
    projectRecord(),
    domainRecord(),
    pluginRecord('kontakt', '2.1.0'),
    pluginRecord('bewertungen', '1.3.4'),
    licenseRecord('kontakt'),
    licenseRecord('bewertungen', { status: 'active', expiresAt: '2025-01-31T23:59:59.000Z' }),
  );
});

/** A released version of a plugin, as the catalog stores it (pk PLUGIN#<name>, zero-padded sk). */
const versionRecord = (plugin: string, version: string, channel = 'stable'): StoredItem => ({
  pk: `PLUGIN#${plugin}`,
  sk: `VERSION#${version
    .split('.')
    .map((p) => p.padStart(5, '0'))
    .join('.')}`,
  entity: 'PluginVersion',
  plugin,
  version,
  s3Key: `plugins/${plugin}/${version}.zip`,
  sha256: 'c0ffee00'.repeat(8),
  sizeBytes: 48213,
  channel,
  releasedAt: '2025-01-20T08:00:00.000Z',
});

// A satellite calls without a JWT authorizer; it sends its key in X-API-Key.
const configRequest = (headers: Record<string, string>, id = PROJECT_ID) =>
  apiRequest({
    route: 'GET /v1/projects/{id}/config',
    path: `/v1/projects/${id}/config`,
    pathParameters: { id },
    claims: null,
    headers: { 'user-agent': 'vrs-satellite/1.4.2', ...headers },
  });

describe('satellite authentication', () => {
  it('answers a request without X-API-Key with 401', async () => {
    // Act
    const res = await getConfig(configRequest({}));

    // Assess
    const { statusCode, contentType, problem } = problemOf(res);
    expect(statusCode).toBe(401);
    expect(contentType).toBe('application/problem+json');
    expect(problem.type).toMatch(/\/unauthorized$/);
    expect(res.headers?.['www-authenticate']).toBeUndefined(); // not a Bearer route
  });

  it('answers a key we never issued with 401, looking it up only by its hash', async () => {
    // Prepare: the key stored in plain (never how we store keys), with a project that would accept
    // it; only a lookup by the key itself instead of its hash would find it.
    const unknownKey = 'vrs_N0tIssuedByUsN0tIssuedByUsN0tIssuedByUs0000';
    await table.seed(apiKeyRecord(unknownKey), projectRecord({ apiKeyHash: hashApiKey(unknownKey) }));

    // Act
    const res = await getConfig(configRequest({ 'x-api-key': unknownKey }));

    // Assess
    expect(res.statusCode).toBe(401);
  });

  it('answers something that is not an API key at all with 401, without looking it up', async () => {
    // Prepare: were the value looked up by its hash, these items would accept it.
    const notAKey = 'Bearer eyJraWQiOiJ0ZXN0LWtleSJ9';
    await table.seed(apiKeyRecord(hashApiKey(notAKey)), projectRecord({ apiKeyHash: hashApiKey(notAKey) }));

    // Act
    const res = await getConfig(configRequest({ 'x-api-key': notAKey }));

    // Assess
    expect(res.statusCode).toBe(401);
  });

  it('answers an unknown key exactly like a malformed one, so keys cannot be probed', async () => {
    // Act
    const unknown = problemOf(
      await getConfig(configRequest({ 'x-api-key': 'vrs_N0tIssuedByUsN0tIssuedByUsN0tIssuedByUs0000' })),
    );
    const malformed = problemOf(await getConfig(configRequest({ 'x-api-key': 'hunter2' })));

    // Assess
    expect(unknown).toEqual(malformed);
    expect(unknown.statusCode).toBe(401);
  });

  it('answers a valid key asking for another project with 404', async () => {
    // Prepare
    const otherProject = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

    // Act
    const res = await getConfig(configRequest({ 'x-api-key': API_KEY }, otherProject));

    // Assess
    expect(res.statusCode).toBe(404);
  });
});

describe('GET /v1/projects/{id}/config', () => {
  it('gives the satellite its bootstrap configuration with only the plugins it may run', async () => {
    // Prepare: released versions (a beta is not for an ordinary project).
    await table.seed(
      versionRecord('kontakt', '2.0.0'),
      versionRecord('kontakt', '2.1.0'),
      versionRecord('kontakt', '2.2.0-beta.1', 'beta'),
      versionRecord('bewertungen', '1.3.4'),
    );

    // Act
    const res = await getConfig(configRequest({ 'x-api-key': API_KEY }));

    // Assess
    expect(res.statusCode).toBe(200);
    expect(jsonBody(res)).toEqual({
      projectId: PROJECT_ID,
      name: 'Steuerberater Müller',
      projectType: 'business_directory',
      primaryDomain: 'mueller.vrs.gmbh',
      plugins: [{ name: 'kontakt', version: '2.1.0' }], // bewertungen expired in January 2025
      previewProtection: false,
      robotsTag: null,
      settings: { locale: 'de', ownerEmail: 'anna.mueller@example.com' },
    });
  });
});

describe('plugin versions by channel', () => {
  const listPlugins = (handler: Handler) =>
    handler(
      apiRequest({
        route: 'GET /v1/projects/{id}/plugins',
        path: `/v1/projects/${PROJECT_ID}/plugins`,
        pathParameters: { id: PROJECT_ID },
        claims: null,
        headers: { 'x-api-key': API_KEY },
      }),
    );
  const download = (name: string) =>
    downloadPlugin(
      apiRequest({
        route: 'POST /v1/plugins/{name}/download',
        path: `/v1/plugins/${name}/download`,
        pathParameters: { name },
        claims: null,
        headers: { 'x-api-key': API_KEY },
      }),
    );
  let listSatellitePlugins: Handler;
  beforeAll(async () => {
    ({ handler: listSatellitePlugins } = await import('../../../functions/api/list-satellite-plugins.js'));
  });
  beforeEach(async () => {
    await table.seed(
      versionRecord('kontakt', '2.1.0'),
      versionRecord('kontakt', '2.2.0-beta.1', 'beta'),
      versionRecord('kontakt', '3.0.0-alpha.2', 'alpha'),
      versionRecord('bewertungen', '1.3.4'),
    );
  });

  it('offers an ordinary project only stable versions (config, plugins, download)', async () => {
    expect(
      jsonBody<{ plugins: unknown }>(await getConfig(configRequest({ 'x-api-key': API_KEY }))).plugins,
    ).toEqual([{ name: 'kontakt', version: '2.1.0' }]);
    const items = jsonBody<{ items: { name: string; version: string }[] }>(
      await listPlugins(listSatellitePlugins),
    ).items;
    expect(items.find((i) => i.name === 'kontakt')?.version).toBe('2.1.0');
    expect(jsonBody(await download('kontakt'))).toMatchObject({
      version: '2.1.0',
      url: expect.stringContaining('plugins/kontakt/2.1.0.zip'),
    });
  });

  it('offers a superadmin project the newest of stable, beta and alpha', async () => {
    await table.seed(projectRecord({ isSuperadmin: true }));
    expect(
      jsonBody<{ plugins: unknown }>(await getConfig(configRequest({ 'x-api-key': API_KEY }))).plugins,
    ).toEqual([{ name: 'kontakt', version: '3.0.0-alpha.2' }]);
    const items = jsonBody<{ items: { name: string; version: string }[] }>(
      await listPlugins(listSatellitePlugins),
    ).items;
    expect(items.find((i) => i.name === 'kontakt')?.version).toBe('3.0.0-alpha.2');
    expect(jsonBody(await download('kontakt'))).toMatchObject({
      version: '3.0.0-alpha.2',
      url: expect.stringContaining('plugins/kontakt/3.0.0-alpha.2.zip'),
    });
  });

  it('has nothing to download for an ordinary project when only pre-releases exist (404)', async () => {
    await table.seed(
      licenseRecord('neu'),
      pluginRecord('neu', '0.1.0'),
      versionRecord('neu', '0.1.0', 'beta'),
    );
    expect((await download('neu')).statusCode).toBe(404);
  });
});

describe('POST /v1/plugins/{name}/download', () => {
  const download = (name: string) =>
    downloadPlugin(
      apiRequest({
        route: 'POST /v1/plugins/{name}/download',
        path: `/v1/plugins/${encodeURIComponent(name)}/download`,
        pathParameters: { name },
        claims: null,
        headers: { 'x-api-key': API_KEY },
      }),
    );

  it('gives a presigned URL for a plugin the project holds a valid license for', async () => {
    // Prepare
    await table.seed(versionRecord('kontakt', '2.1.0'));

    // Act
    const res = await download('kontakt');

    // Assess
    expect(res.statusCode).toBe(200);
    expect(jsonBody(res)).toMatchObject({
      name: 'kontakt',
      version: '2.1.0',
      url: expect.stringContaining('plugins/kontakt/2.1.0.zip'),
      sha256: 'c0ffee00'.repeat(8),
      sizeBytes: 48213,
    });
  });

  it.each(['../etc', '..', 'kontakt/../../secrets', 'Kontakt', 'kontakt.zip'])(
    'refuses the plugin name "%s" with 400 before looking for a license',
    async (name) => {
      // Prepare: were the name looked up, a valid license and a released version would serve it.
      await table.seed(licenseRecord(name), pluginRecord(name, '1.0.0'), versionRecord(name, '1.0.0'));

      // Act
      const res = await download(name);

      // Assess
      const { statusCode, problem } = problemOf(res);
      expect(statusCode).toBe(400);
      expect(problem.errors.map((e) => e.path)).toEqual(['name']);
    },
  );

  it('checks the key before the name: an unknown key with a bad name gets 401', async () => {
    // Act
    const res = await downloadPlugin(
      apiRequest({
        route: 'POST /v1/plugins/{name}/download',
        path: '/v1/plugins/..%2Fetc/download',
        pathParameters: { name: '../etc' },
        claims: null,
        headers: { 'x-api-key': 'vrs_N0tIssuedByUsN0tIssuedByUsN0tIssuedByUs0000' },
      }),
    );

    // Assess
    expect(res.statusCode).toBe(401);
  });

  it('refuses a plugin whose license has expired (403)', async () => {
    // Act
    const res = await download('bewertungen');

    // Assess
    expect(res.statusCode).toBe(403);
  });

  it('refuses a plugin the project never licensed (403)', async () => {
    // Act
    const res = await download('galerie');

    // Assess
    expect(res.statusCode).toBe(403);
  });
});

describe('POST /v1/plugins/{name}/download of a plugin that requires others', () => {
  const download = (name: string) =>
    downloadPlugin(
      apiRequest({
        route: 'POST /v1/plugins/{name}/download',
        path: `/v1/plugins/${name}/download`,
        pathParameters: { name },
        claims: null,
        headers: { 'x-api-key': API_KEY },
      }),
    );

  it('refuses (403, naming the plugin) while a required plugin has no valid license, serves it once it has', async () => {
    // Prepare: crm 1.0.0 requires kontakt; the project's kontakt license is suspended.
    await table.seed(
      pluginRecord('crm', '1.0.0'),
      { ...versionRecord('crm', '1.0.0'), requires: ['kontakt'] },
      licenseRecord('crm'),
      licenseRecord('kontakt', { status: 'suspended' }),
    );

    // Act
    const refused = problemOf(await download('crm'));

    // Assess
    expect(refused.statusCode).toBe(403);
    expect(refused.problem.detail).toContain('"kontakt"');

    // Act: the license is valid again.
    await table.seed(licenseRecord('kontakt'));
    const res = await download('crm');

    // Assess
    expect(res.statusCode).toBe(200);
    expect(jsonBody(res)).toMatchObject({ name: 'crm', version: '1.0.0' });
  });
});
