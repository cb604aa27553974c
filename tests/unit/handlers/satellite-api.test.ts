import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../../shared/model/api-key.js';
import { apiRequest, jsonBody, problemOf } from './api-request.js';
import { useTestEnvironment } from './environment.js';
import { fakeTable } from './fake-table.js';
import {
  API_KEY,
  apiKeyRecord,
  domainRecord,
  licenseRecord,
  PROJECT_ID,
  pluginRecord,
  projectRecord,
} from './stored-items.js';

type Handler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

const ddb = mockClient(DynamoDBDocumentClient);
let getConfig: Handler;
let downloadPlugin: Handler;
let table: ReturnType<typeof fakeTable>;

beforeAll(async () => {
  useTestEnvironment();
  ({ handler: getConfig } = await import('../../../functions/api/get-satellite-config.js'));
  ({ handler: downloadPlugin } = await import('../../../functions/api/download-plugin.js'));
});

beforeEach(() => {
  ddb.reset();
  table = fakeTable(ddb);
  table.seed(
    apiKeyRecord(),
    projectRecord(),
    domainRecord(),
    pluginRecord('kontakt', '2.1.0'),
    pluginRecord('bewertungen', '1.3.4'),
    licenseRecord('kontakt'),
    licenseRecord('bewertungen', { status: 'active', expiresAt: '2025-01-31T23:59:59.000Z' }),
  );
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
  it('answers a request without X-API-Key with 401 and no lookup', async () => {
    // Act
    const res = await getConfig(configRequest({}));

    // Assess
    const { statusCode, contentType, problem } = problemOf(res);
    expect(statusCode).toBe(401);
    expect(contentType).toBe('application/problem+json');
    expect(problem.type).toMatch(/\/unauthorized$/);
    expect(res.headers?.['www-authenticate']).toBeUndefined(); // not a Bearer route
    expect(ddb.calls()).toHaveLength(0);
  });

  it('answers a key we never issued with 401, looking it up only by its hash', async () => {
    // Prepare
    const unknownKey = 'vrs_N0tIssuedByUsN0tIssuedByUsN0tIssuedByUs0000';

    // Act
    const res = await getConfig(configRequest({ 'x-api-key': unknownKey }));

    // Assess
    expect(res.statusCode).toBe(401);
    const lookups = ddb.commandCalls(GetCommand).map((c) => c.args[0].input.Key);
    expect(lookups).toEqual([{ pk: `APIKEY#${hashApiKey(unknownKey)}`, sk: 'APIKEY' }]);
    expect(JSON.stringify(ddb.calls().map((c) => c.args[0].input))).not.toContain(unknownKey);
  });

  it('answers something that is not an API key at all with 401 and no lookup', async () => {
    // Act
    const res = await getConfig(configRequest({ 'x-api-key': 'Bearer eyJraWQiOiJ0ZXN0LWtleSJ9' }));

    // Assess
    expect(res.statusCode).toBe(401);
    expect(ddb.calls()).toHaveLength(0);
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
      settings: { locale: 'de', ownerEmail: 'anna.mueller@example.com' },
    });
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

  it.each(['../etc', '..', 'kontakt/../../secrets', 'Kontakt', 'kontakt.zip'])(
    'refuses the plugin name "%s" with 400 before looking for a license',
    async (name) => {
      // Act
      const res = await download(name);

      // Assess
      const { statusCode, problem } = problemOf(res);
      expect(statusCode).toBe(400);
      expect(problem.errors.map((e) => e.path)).toEqual(['name']);
      const reads = ddb.calls().map((c) => c.args[0].input as { Key?: { pk?: string } });
      // Only the key check (its marker, then its project's status); no license is looked at.
      expect(reads.map((r) => r.Key?.pk)).toEqual([
        expect.stringMatching(/^APIKEY#/),
        `PROJECT#${PROJECT_ID}`,
      ]);
    },
  );

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
