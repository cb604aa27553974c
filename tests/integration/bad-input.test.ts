import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { api, orderBody, startTestStack } from './support/api.js';

// Every route validates its input: bad input gets the right 4xx as problem+json naming the field,
// never a 5xx, and nothing is written.

let stack: LocalStack;
let call: ReturnType<typeof api>['call'];
let staff: string;
let customer: string;

/** Test-only full count of the table (no request path ever scans). */
async function itemCount(): Promise<number> {
  const client = new DynamoDBClient({
    endpoint: stack.dynamoEndpoint,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const out = await client.send(new ScanCommand({ TableName: stack.tableName, Select: 'COUNT' }));
  client.destroy();
  return out.Count ?? 0;
}

beforeAll(async () => {
  stack = await startTestStack();
  call = api(stack).call;
  staff = await stack.token('staff@vrs.gmbh', 'staff');
  customer = await stack.token('kunde@example.com', 'customer');
});
afterAll(async () => {
  await stack?.stop();
});

const badOrders: [string, Record<string, unknown> | string, number, string][] = [
  ['malformed JSON', '{"name": ', 400, ''],
  ['a JSON array', '[]', 400, ''],
  ['name of the wrong type', orderBody('gut', { name: 42 }), 400, 'name'],
  ['name with a line break', orderBody('gut', { name: 'Müller\r\nBcc: victim@example.com' }), 400, 'name'],
  ['name with a tab', orderBody('gut', { name: 'Müller\tGmbH' }), 400, 'name'],
  ['name with a C1 control (NEL)', orderBody('gut', { name: 'Müller\u0085GmbH' }), 400, 'name'],
  ['name with DEL', orderBody('gut', { name: 'Müller\u007fGmbH' }), 400, 'name'],
  ['unknown field', orderBody('gut', { colour: 'red' }), 400, ''],
  ['unknown project type', orderBody('gut', { projectType: 'space_station' }), 400, 'projectType'],
  ['bundle of another project type', orderBody('gut', { bundle: 'website-basic' }), 400, 'bundle'],
  ['unknown plugin', orderBody('gut', { plugins: ['teleporter'] }), 400, 'plugins.0'],
  ['path-like plugin name', orderBody('gut', { plugins: ['../etc/passwd'] }), 400, 'plugins.0'],
  ['subdomain too short', orderBody('ab'), 400, 'domain.subdomain'],
  ['subdomain with uppercase', orderBody('Mueller'), 400, 'domain.subdomain'],
  ['subdomain with a leading hyphen', orderBody('-mueller'), 400, 'domain.subdomain'],
  ['subdomain with a trailing hyphen', orderBody('mueller-'), 400, 'domain.subdomain'],
  ['reserved subdomain www', orderBody('www'), 400, 'domain.subdomain'],
  ['reserved subdomain admin', orderBody('admin'), 400, 'domain.subdomain'],
  ['subdomain of 64 characters', orderBody('a'.repeat(64)), 400, 'domain.subdomain'],
  [
    'unknown base domain',
    orderBody('gut', { domain: { type: 'subdomain', subdomain: 'gut', baseDomain: 'example.org' } }),
    400,
    'domain.baseDomain',
  ],
  ['bad billing e-mail', orderBody('gut', { billingEmail: 'not-an-email' }), 400, 'billingEmail'],
  ['bad owner e-mail', orderBody('gut', { ownerEmail: 'owner@' }), 400, 'ownerEmail'],
  ['unknown payment method', orderBody('gut', { paymentMethod: 'barter' }), 400, 'paymentMethod'],
  ['neither bundle nor plugins', orderBody('gut', { bundle: undefined, plugins: [] }), 400, 'bundle'],
  [
    'domain registration without a registrant',
    orderBody('gut', { domain: { type: 'register', domain: 'example.de' } }),
    400,
    'domain.registrant',
  ],
  [
    'domain transfer without an auth code',
    orderBody('gut', { domain: { type: 'transfer', domain: 'example.de' } }),
    400,
    'domain.authCode',
  ],
  [
    'a TLD we do not sell',
    orderBody('gut', { domain: { type: 'owned', domain: 'example.museum' } }),
    400,
    'domain.domain',
  ],
  [
    'an own domain that is not in our account',
    orderBody('gut', { domain: { type: 'owned', domain: 'nicht-unsere.de' } }),
    422,
    'domain.domain',
  ],
  ['a payment method we do not take', orderBody('gut', { paymentMethod: 'paypal' }), 400, 'paymentMethod'],
];

describe('POST /v1/projects with bad input', () => {
  it.each(badOrders)('%s → %i naming the field, nothing written', async (_name, body, status, path) => {
    const before = await itemCount();
    const res = await call<{ status: number; errors: { path: string }[]; title: string }>(
      'POST',
      '/v1/projects',
      {
        token: staff,
        ...(typeof body === 'string' ? { rawBody: body } : { body }),
      },
    );
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.status).toBe(status);
    if (path) expect(res.body.errors.map((e) => e.path)).toContain(path);
    expect(await itemCount()).toBe(before);
  });

  it('names every invalid field in one answer, the subdomain rule included', async () => {
    const res = await call<{ errors: { path: string }[] }>('POST', '/v1/projects', {
      token: staff,
      body: orderBody('www', { billingEmail: 'not-an-email' }),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e) => e.path).sort()).toEqual(['billingEmail', 'domain.subdomain']);
    const both = await call<{ errors: { path: string }[] }>('POST', '/v1/projects', {
      token: staff,
      body: orderBody('gut', { name: 42, bundle: undefined, plugins: [] }),
    });
    expect(both.body.errors.map((e) => e.path).sort()).toEqual(['bundle', 'name']);
  });

  it('refuses a body over 64 KiB with 413, nothing written', async () => {
    const before = await itemCount();
    const res = await call<{ status: number }>('POST', '/v1/projects', {
      token: staff,
      body: orderBody('gross', { name: 'x'.repeat(70 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.status).toBe(413);
    expect(await itemCount()).toBe(before);
  });

  it('lists at most 50 problems and says how many more there are', async () => {
    const unknown = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`field${i}`, i]));
    const res = await call<{ errors: { path: string }[]; detail: string }>('POST', '/v1/projects', {
      token: staff,
      body: orderBody('viele', unknown),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveLength(50);
    expect(res.body.errors[0]).toEqual({ path: 'field0', message: 'unknown field' });
    expect(res.body.detail).toContain('150 more');
  });

  it('a customer may not pay by invoice (403) nor order for someone else', async () => {
    const invoice = await call<{ errors: { path: string }[] }>('POST', '/v1/projects', {
      token: customer,
      body: orderBody('gut', { ownerEmail: undefined }),
    });
    expect(invoice.status).toBe(403);
    expect(invoice.body.errors[0]?.path).toBe('paymentMethod');
  });
});

describe('credentials and tenancy', () => {
  it('no token, a forged token, a wrong role', async () => {
    expect((await call('POST', '/v1/projects', { body: orderBody('gut') })).status).toBe(401);
    expect((await call('GET', '/v1/projects', { token: `${staff.slice(0, -4)}AAAA` })).status).toBe(401);
    const res = await call('POST', '/v1/admin/projects/00000000-0000-4000-8000-000000000000/retry', {
      token: customer,
    });
    expect(res.status).toBe(403);
  });

  it("another tenant's project is 404, like one that does not exist", async () => {
    const created = await call<{ project: { id: string } }>('POST', '/v1/projects', {
      token: staff,
      body: orderBody('tenant'),
    });
    expect(created.status).toBe(201);
    const id = created.body.project.id;
    expect((await call('GET', `/v1/projects/${id}`, { token: customer })).status).toBe(404);
    expect((await call('GET', `/v1/projects/${id}/logs`, { token: customer })).status).toBe(404);
    const owner = await stack.token('owner@example.com', 'customer');
    expect((await call('GET', `/v1/projects/${id}`, { token: owner })).status).toBe(200);
  });

  it('an e-mail the token does not mark as verified identifies nobody (401)', async () => {
    const created = await call<{ project: { id: string } }>('POST', '/v1/projects', {
      token: staff,
      body: orderBody('victim', { ownerEmail: 'victim@example.com' }),
    });
    expect(created.status).toBe(201);
    const id = created.body.project.id;
    const issued = await call<{ token: string }>('POST', '/local/token', {
      body: { email: 'victim@example.com', role: 'customer', emailVerified: false },
    });
    expect(issued.status).toBe(200);
    const unverified = issued.body.token;

    for (const [method, path, body] of [
      ['GET', `/v1/projects/${id}`],
      ['GET', `/v1/projects/${id}/logs`],
      ['GET', '/v1/projects'],
      ['POST', '/v1/projects', orderBody('victim-two', { ownerEmail: undefined })],
    ] as const) {
      const res = await call<{ detail: string }>(method, path, {
        token: unverified,
        ...(body ? { body } : {}),
      });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.detail).toContain('verified e-mail');
      expect(JSON.stringify(res.body)).not.toContain('victim@example.com');
    }
    const verified = await stack.token('victim@example.com', 'customer');
    expect((await call('GET', `/v1/projects/${id}`, { token: verified })).status).toBe(200);
  });

  it('bad ids, cursors and plugin names are 400; unknown routes 404', async () => {
    expect((await call('GET', '/v1/projects/not-a-uuid', { token: staff })).status).toBe(400);
    expect((await call('GET', '/v1/projects?cursor=%%%', { token: staff })).status).toBe(400);
    expect((await call('GET', '/v1/projects?limit=5000', { token: staff })).status).toBe(400);
    expect(
      (await call('POST', '/v1/plugins/..%2F..%2Fetc/download', { apiKey: 'vrs_x' })).status,
    ).toBeGreaterThanOrEqual(400);
    expect((await call('POST', '/v1/plugins/kontakt/download')).status).toBe(401);
    expect((await call('GET', '/v1/nothing-here')).status).toBe(404);
    expect((await call('GET', '/v1/bundles?projectType=NOT%20A%20CODE')).status).toBe(400);
  });
});

describe('catalog and meta', () => {
  it('lists the seeded catalog with bundle prices', async () => {
    const types = await call<{ items: { code: string }[] }>('GET', '/v1/project-types');
    expect(types.body.items.map((t) => t.code).sort()).toEqual([
      'business_directory',
      'city_server',
      'einzelkunde',
      'hersteller_portal',
    ]);
    const bundles = await call<{ items: { code: string; priceCents: number }[] }>(
      'GET',
      '/v1/bundles?projectType=business_directory',
    );
    const basic = bundles.body.items.find((b) => b.code === 'verzeichnis-basic');
    expect(basic?.priceCents).toBe(2900 + 900);
    const plugins = await call<{ items: { name: string; latestVersion: string }[] }>('GET', '/v1/plugins');
    expect(plugins.body.items.find((p) => p.name === 'kontakt')?.latestVersion).toBe('1.4.2');
    const domains = await call<{ items: { domain: string; isDefault: boolean }[] }>(
      'GET',
      '/v1/base-domains',
    );
    expect(domains.body.items).toEqual([{ domain: 'vrs.gmbh', displayName: 'VRS GmbH', isDefault: true }]);
  });

  it('tells whether a domain can be had: our subdomains free of charge, other domains from INWX', async () => {
    const check = (domain: string) =>
      call<{ domain: string; available: boolean; priceCents: number | null }>(
        'GET',
        `/v1/domains/availability?domain=${encodeURIComponent(domain)}`,
      );
    expect((await check('frei.vrs.gmbh')).body).toEqual({
      domain: 'frei.vrs.gmbh',
      asciiDomain: 'frei.vrs.gmbh',
      available: true,
      priceCents: 0,
      transferPriceCents: null,
    });
    expect((await check('tenant.vrs.gmbh')).body.available).toBe(false); // ordered above
    expect((await check('www.vrs.gmbh')).body.available).toBe(false); // reserved
    const free = await check('neue-firma.de');
    expect(free.body.available).toBe(true);
    expect(free.body.priceCents).toBeGreaterThan(0);
    expect((await check('taken-firma.de')).body.available).toBe(false);
    expect((await check('not a domain')).status).toBe(400);
    expect((await call('GET', '/v1/domains/availability')).status).toBe(400);
  });

  it('serves an OpenAPI 3.1 document covering every route', async () => {
    const { routeList } = await import('../../functions/routes.js');
    const doc = await call<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(
      'GET',
      '/v1/openapi.json',
    );
    expect(doc.body.openapi).toBe('3.1.0');
    for (const [, r] of routeList) expect(doc.body.paths[r.path]?.[r.method.toLowerCase()]).toBeDefined();
  });
});
