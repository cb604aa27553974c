import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestTable, type TestTable } from '../../support/dynamo-table.js';
import {
  apiRequest,
  type Claims,
  CUSTOMER_CLAIMS,
  fixtureOrder,
  jsonBody,
  problemOf,
  STAFF_CLAIMS,
} from './api-request.js';
import { PROVISION_SUBDOMAIN_ARN, TABLE_NAME, useTestEnvironment } from './environment.js';
import { orderCatalog, pluginRecord, type StoredItem } from './stored-items.js';

// POST /v1/projects against the real table (DynamoDB Local): the order's transaction and its
// uniqueness markers are DynamoDB's own. Step Functions is mocked. Every test starts from a table
// holding only the catalog, so an order that got further than it should would leave items behind.

const sfn = mockClient(SFNClient);
const ses = mockClient(SESv2Client);
let handler: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
let table: TestTable;
const OTHER_PROJECT_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

const keyOf = (item: Record<string, unknown>) => `${String(item.pk)}|${String(item.sk)}`;
let seeded = new Set<string>();
const seed = async (...items: StoredItem[]) => {
  for (const item of items) seeded.add(keyOf(item));
  await table.seed(...items);
};
/** Every item the requests of a test wrote: the table without what the test seeded. */
// What an order wrote: not the caller's call counter (RATELIMIT#…, counted before anything else).
const written = async () =>
  (await table.all()).filter((item) => !seeded.has(keyOf(item)) && !String(item.pk).startsWith('RATELIMIT#'));

beforeAll(async () => {
  useTestEnvironment();
  table = await startTestTable(TABLE_NAME);
  ({ handler } = await import('../../../functions/api/create-project.js'));
});
afterAll(async () => {
  await table?.stop();
});

beforeEach(async () => {
  sfn.reset();
  ses.reset();
  ses.on(SendEmailCommand).resolves({ MessageId: 'local-message' });
  await table.clearAll();
  seeded = new Set();
  await seed(...orderCatalog());
  sfn.on(StartExecutionCommand).callsFake((input: { stateMachineArn: string; name: string }) => ({
    executionArn: `${input.stateMachineArn.replace(':stateMachine:', ':execution:')}:${input.name}`,
    startDate: new Date('2025-02-04T10:00:01.456Z'),
  }));
});

/** The fixture's order with some fields changed, by default from a staff member. */
const order = (changes: Record<string, unknown> = {}, claims: Claims = STAFF_CLAIMS) =>
  apiRequest({ route: 'POST /v1/projects', body: { ...fixtureOrder(), ...changes }, claims });

describe('POST /v1/projects — input the API refuses before touching anything', () => {
  it('answers malformed JSON with a 400 problem and writes nothing', async () => {
    // Prepare
    const event = apiRequest({
      route: 'POST /v1/projects',
      body: '{"name":"Steuerberater Müller","projectType":',
      claims: STAFF_CLAIMS,
    });

    // Act
    const res = await handler(event);

    // Assess
    const { statusCode, contentType, problem } = problemOf(res);
    expect(statusCode).toBe(400);
    expect(contentType).toBe('application/problem+json');
    expect(problem).toMatchObject({
      status: 400,
      title: 'Invalid request',
      detail: 'The body is not valid JSON.',
    });
    expect(problem.type).toMatch(/\/validation-error$/);
    expect(await written()).toEqual([]);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('answers a missing body with a 400 problem', async () => {
    // Prepare
    const event = apiRequest({ route: 'POST /v1/projects', claims: STAFF_CLAIMS });

    // Act
    const res = await handler(event);

    // Assess
    expect(res.statusCode).toBe(400);
    expect(await written()).toEqual([]);
  });

  it.each([
    ['name is a number', { name: 42 }, 'name'],
    ['plugins is a string', { plugins: 'kontakt' }, 'plugins'],
    ['paymentMethod is unknown', { paymentMethod: 'paypal' }, 'paymentMethod'],
    ['projectType has uppercase letters', { projectType: 'Business_Directory' }, 'projectType'],
    ['billingEmail is not an address', { billingEmail: 'billing(at)example.com' }, 'billingEmail'],
    ['ownerEmail is not an address', { ownerEmail: 'owner@' }, 'ownerEmail'],
    ['the domain type is unknown', { domain: { type: 'parked', domain: 'example.de' } }, 'domain.type'],
    [
      'the subdomain is longer than a DNS label',
      { domain: { type: 'subdomain', subdomain: 'x'.repeat(64) } },
      'domain.subdomain',
    ],
    ['neither bundle nor plugins are given', { bundle: undefined, plugins: [] }, 'bundle'],
  ])('names the field when %s (400)', async (_what, changes, path) => {
    // Act
    const res = await handler(order(changes));

    // Assess
    const { statusCode, contentType, problem } = problemOf(res);
    expect(statusCode).toBe(400);
    expect(contentType).toBe('application/problem+json');
    expect(problem.errors.map((e) => e.path)).toContain(path);
    expect(await written()).toEqual([]);
  });

  it('refuses an unknown field with a 400 that mentions it', async () => {
    // Act
    const res = await handler(order({ colour: 'blue' }));

    // Assess
    const { statusCode, problem } = problemOf(res);
    expect(statusCode).toBe(400);
    expect(JSON.stringify(problem.errors)).toContain('colour');
    expect(await written()).toEqual([]);
  });

  // Known bug (see report): zod reports unrecognized keys on the parent object (path []), and
  // shared/platform/lambda/http-handler.ts copies that path, so errors[].path is "" instead of naming the field.
  it('names an unknown field in errors[].path', async () => {
    // Act
    const res = await handler(order({ colour: 'blue' }));

    // Assess
    expect(problemOf(res).problem.errors.map((e) => e.path)).toContain('colour');
  });

  it.each([
    ['an uppercase letter', 'Mueller'],
    ['an umlaut', 'müller'],
    ['a leading hyphen', '-mueller'],
    ['a reserved name', 'www'],
    ['too few characters', 'ab'],
  ])('refuses a subdomain with %s, naming domain.subdomain (400)', async (_what, subdomain) => {
    // Act
    const res = await handler(order({ domain: { type: 'subdomain', subdomain, baseDomain: 'vrs.gmbh' } }));

    // Assess
    const { statusCode, problem } = problemOf(res);
    expect(statusCode).toBe(400);
    expect(problem.errors).toEqual([{ path: 'domain.subdomain', message: expect.any(String) }]);
    expect(await written()).toEqual([]);
  });
});

describe('POST /v1/projects — per-caller limit', () => {
  it("answers a customer's order beyond 30 in the window with 429 and Retry-After, writing nothing", async () => {
    // Prepare: this caller has used up the current 10-minute window.
    const now = Math.floor(Date.now() / 1000);
    const start = now - (now % 600);
    const counter = `RATELIMIT#POST /v1/projects#person:7b3f6a62-1c4e-4f0a-9d6b-2e5a8c1f3d40#${start}`;
    await table.seed({ pk: counter, sk: 'RATELIMIT', calls: 30, ttl: start + 660 });

    // Act
    const res = await handler(apiRequest({ route: 'POST /v1/projects', body: fixtureOrder() }));

    // Assess
    const { statusCode, contentType, problem } = problemOf(res);
    expect(statusCode).toBe(429);
    expect(contentType).toBe('application/problem+json');
    expect(Number(res.headers?.['retry-after'])).toBeGreaterThan(0);
    expect(problem.detail).toMatch(/30 calls per 600 s/);
    expect(await written()).toEqual([]);
    expect(sfn.calls()).toHaveLength(0);
    await table.seed({ pk: counter, sk: 'RATELIMIT', calls: 0, ttl: start + 660 });
  });
});

describe('POST /v1/projects — who may order what', () => {
  it('refuses invoice payment from a customer (403)', async () => {
    // Prepare: the fixture's caller is a customer and its order says "invoice".
    const event = apiRequest({ route: 'POST /v1/projects', body: fixtureOrder() });

    // Act
    const res = await handler(event);

    // Assess
    const { statusCode, contentType, problem } = problemOf(res);
    expect(statusCode).toBe(403);
    expect(contentType).toBe('application/problem+json');
    expect(problem.errors.map((e) => e.path)).toEqual(['paymentMethod']);
    expect(await written()).toEqual([]);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('refuses a free project to a customer (403)', async () => {
    // Act
    const res = await handler(order({ paymentMethod: 'free' }, CUSTOMER_CLAIMS));

    // Assess
    expect(res.statusCode).toBe(403);
  });

  it('refuses a superadmin project to a customer (403 naming isSuperadmin), writing nothing', async () => {
    const res = await handler(
      order({ paymentMethod: 'stripe_prepaid', ownerEmail: undefined, isSuperadmin: true }, CUSTOMER_CLAIMS),
    );
    const { statusCode, problem } = problemOf(res);
    expect(statusCode).toBe(403);
    expect(problem.errors).toEqual([{ path: 'isSuperadmin', message: 'only staff and admins may set it' }]);
    expect(await written()).toEqual([]);
  });

  it('lets staff order a superadmin project, and names a flag that is not a boolean (400)', async () => {
    const res = await handler(order({ isSuperadmin: true }));
    expect(res.statusCode).toBe(201);
    const id = jsonBody<{ project: { id: string } }>(res).project.id;
    expect(await table.get({ pk: `PROJECT#${id}`, sk: 'PROJECT' })).toMatchObject({ isSuperadmin: true });
    const bad = problemOf(await handler(order({ isSuperadmin: 'yes' })));
    expect(bad.statusCode).toBe(400);
    expect(bad.problem.errors.map((e) => e.path)).toEqual(['isSuperadmin']);
  });

  it('answers a domain registration without a registrant with 400 naming it, and writes nothing', async () => {
    // Act
    const res = await handler(order({ domain: { type: 'register', domain: 'mueller-steuerberatung.de' } }));

    // Assess
    const { statusCode, problem } = problemOf(res);
    expect(statusCode).toBe(400);
    expect(problem.errors.map((e) => e.path)).toEqual(['domain.registrant']);
    expect(await written()).toEqual([]);
  });

  it('answers a request without a verified token with 401 and a Bearer challenge', async () => {
    // Prepare
    const event = apiRequest({ route: 'POST /v1/projects', claims: null });

    // Act
    const res = await handler(event);

    // Assess
    const { statusCode, contentType, problem } = problemOf(res);
    expect(statusCode).toBe(401);
    expect(contentType).toBe('application/problem+json');
    expect(res.headers?.['www-authenticate']).toBe('Bearer');
    expect(problem.type).toMatch(/\/unauthorized$/);
    expect(await written()).toEqual([]);
  });

  it('answers a token without an e-mail claim with 401', async () => {
    // Prepare
    const event = apiRequest({
      route: 'POST /v1/projects',
      exactClaims: {
        sub: '7b3f6a62-1c4e-4f0a-9d6b-2e5a8c1f3d40',
        'cognito:groups': '[staff]',
        token_use: 'id',
      },
    });

    // Act
    const res = await handler(event);

    // Assess
    expect(res.statusCode).toBe(401);
    expect(await written()).toEqual([]);
  });

  it('answers a token without a subject with 401', async () => {
    // Prepare
    const event = apiRequest({
      route: 'POST /v1/projects',
      exactClaims: { email: 'sachbearbeiter@vrs.gmbh', 'cognito:groups': '[staff]' },
    });

    // Act
    const res = await handler(event);

    // Assess
    expect(res.statusCode).toBe(401);
  });

  it('turns away a token that carries none of our roles (403)', async () => {
    // Act
    const res = await handler(order({}, { 'cognito:groups': '[beta-testers]' }));

    // Assess
    expect(res.statusCode).toBe(403);
    expect(await written()).toEqual([]);
  });
});

describe('POST /v1/projects — a staff order by invoice', () => {
  it('stores the order and starts provisioning (201)', async () => {
    // Act
    const res = await handler(order({ ownerEmail: 'Owner@Example.com' }));

    // Assess
    expect(res.statusCode).toBe(201);
    const { project, checkoutUrl } = jsonBody<{ project: Record<string, unknown>; checkoutUrl: unknown }>(
      res,
    );
    expect(checkoutUrl).toBeNull();
    expect(project).toMatchObject({
      name: 'Steuerberater Müller',
      slug: 'mueller',
      projectType: 'business_directory',
      status: 'pending_domain',
      paymentMethod: 'invoice',
      billingEmail: 'billing@example.com',
      ownerEmail: 'owner@example.com',
      domains: [
        {
          domain: 'mueller.vrs.gmbh',
          type: 'subdomain',
          status: 'pending_dns',
          isPrimary: true,
          failureReason: null,
          expiresAt: null,
        },
      ],
      provisioningError: null,
      provisioningRetryCount: 0,
    });
    const licenses = project.licenses as { plugin: string; billingCycle: string; status: string }[];
    expect(licenses.map((l) => [l.plugin, l.billingCycle, l.status]).sort()).toEqual([
      ['bewertungen', 'yearly', 'active'],
      ['kontakt', 'yearly', 'active'],
    ]);
    const id = project.id as string;
    const executionArn = `${PROVISION_SUBDOMAIN_ARN.replace(':stateMachine:', ':execution:')}:${id}-provision-subdomain-1`;
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input)).toEqual([
      {
        stateMachineArn: PROVISION_SUBDOMAIN_ARN,
        name: `${id}-provision-subdomain-1`,
        input: JSON.stringify({ projectId: id }),
      },
    ]);
    // Stored: the project (findable by its owner and status, responsible execution recorded), the
    // subdomain and slug taken for it, its domain, licenses with their history, and the order's log.
    expect(await table.get({ pk: `PROJECT#${id}`, sk: 'PROJECT' })).toMatchObject({
      status: 'pending_domain',
      gsi1pk: 'OWNER#owner@example.com',
      gsi2pk: 'STATUS#pending_domain',
      executionArn,
      orderConfirmationMailedAt: expect.any(String),
      provisioningStartedMailedAt: expect.any(String),
    });
    // The owner is told: the order confirmation (with the expected duration), provisioning started.
    expect(
      ses
        .commandCalls(SendEmailCommand)
        .map((c) => [
          c.args[0].input.Destination?.ToAddresses,
          c.args[0].input.Content?.Simple?.Subject?.Data,
        ]),
    ).toEqual([
      [['owner@example.com'], 'Bestellung bestätigt: „Steuerberater Müller“'],
      [['owner@example.com'], 'Einrichtung von „Steuerberater Müller“ gestartet'],
    ]);
    expect((await table.get({ pk: 'DOMAIN#mueller.vrs.gmbh', sk: 'DOMAIN' }))?.projectId).toBe(id);
    expect((await table.get({ pk: 'SLUG#mueller', sk: 'SLUG' }))?.projectId).toBe(id);
    expect((await written()).map((i) => i.entity).sort()).toEqual([
      'DomainMarker',
      'License',
      'License',
      'LicenseHistory',
      'LicenseHistory',
      'Project',
      'ProjectDomain',
      'ProvisioningLog',
      'SlugMarker',
    ]);
    expect(await table.query(`PROJECT#${id}`, 'LOG#')).toEqual([
      expect.objectContaining({
        action: 'order_created',
        newStatus: 'pending_domain',
        triggeredBy: 'sachbearbeiter@vrs.gmbh',
      }),
    ]);
  });

  it('keeps the order when the mail fails, and gives the mail claims back for a retry', async () => {
    ses.on(SendEmailCommand).rejects(Object.assign(new Error('rejected'), { name: 'MessageRejected' }));
    const res = await handler(order());
    expect(res.statusCode).toBe(201);
    const id = jsonBody<{ project: { id: string } }>(res).project.id;
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
    const stored = await table.get({ pk: `PROJECT#${id}`, sk: 'PROJECT' });
    expect(stored).toMatchObject({ status: 'pending_domain' });
    expect(stored).not.toHaveProperty('orderConfirmationMailedAt');
    expect(stored).not.toHaveProperty('provisioningStartedMailedAt');
  });

  it('bills bundle plugins in the bundle’s cycle with its discount', async () => {
    // Act
    const res = await handler(order());

    // Assess
    const id = jsonBody<{ project: { id: string } }>(res).project.id;
    const stored = (plugin: string) => table.get({ pk: `PROJECT#${id}`, sk: `LICENSE#${plugin}` });
    expect(await stored('kontakt')).toMatchObject({ billingCycle: 'yearly', priceCents: 8910 });
    expect(await stored('bewertungen')).toMatchObject({ billingCycle: 'yearly', priceCents: 13410 });
  });

  it('licenses what the chosen plugins need as well, at its price, and logs why', async () => {
    // Arrange: "crm" needs "adressen", which needs "kontakt" (already in the bundle).
    await seed(
      { ...pluginRecord('crm', '1.0.0'), requires: ['adressen'] },
      { ...pluginRecord('adressen', '1.0.0'), requires: ['kontakt'] },
      ...['crm', 'adressen'].map((plugin) => ({
        pk: `PLUGIN#${plugin}`,
        sk: 'PRICE#business_directory#monthly',
        entity: 'PluginPrice',
        plugin,
        projectType: 'business_directory',
        billingCycle: 'monthly',
        priceCents: 1500,
      })),
    );

    // Act
    const res = await handler(order({ plugins: ['crm'] }));

    // Assess
    expect(res.statusCode).toBe(201);
    const project = jsonBody<{ project: { id: string; licenses: { plugin: string }[] } }>(res).project;
    expect(project.licenses.map((l) => l.plugin).sort()).toEqual([
      'adressen',
      'bewertungen',
      'crm',
      'kontakt',
    ]);
    const log = (await table.all()).find((i) => i.action === 'plugins_required');
    expect(log?.message).toBe('Licensed as well, because they are needed: adressen (by crm)');
  });

  it('refuses a plugin that needs one we do not offer (422), writing nothing', async () => {
    await seed({ ...pluginRecord('crm', '1.0.0'), requires: ['gibt-es-nicht'] });
    const res = await handler(order({ plugins: ['crm'] }));
    expect(res.statusCode).toBe(422);
    expect(problemOf(res).problem.detail).toContain('"crm" needs "gibt-es-nicht"');
    expect(await written()).toEqual([]);
  });

  it('answers a subdomain someone else holds with 409, starts nothing and writes nothing', async () => {
    // Prepare
    await seed({
      pk: 'DOMAIN#mueller.vrs.gmbh',
      sk: 'DOMAIN',
      entity: 'DomainMarker',
      projectId: OTHER_PROJECT_ID,
    });

    // Act
    const res = await handler(order());

    // Assess
    const { statusCode, problem } = problemOf(res);
    expect(statusCode).toBe(409);
    expect(problem.errors).toEqual([{ path: 'domain.subdomain', message: 'already taken' }]);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    expect(await written()).toEqual([]);
    expect((await table.get({ pk: 'DOMAIN#mueller.vrs.gmbh', sk: 'DOMAIN' }))?.projectId).toBe(
      OTHER_PROJECT_ID,
    );
  });

  it('stores one of two simultaneous orders for the same subdomain; the other gets 409', async () => {
    // Act
    const results = await Promise.all([handler(order()), handler(order())]);

    // Assess
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const winner = jsonBody<{ project: { id: string } }>(results.find((r) => r.statusCode === 201)!);
    const projects = (await written()).filter((i) => i.entity === 'Project');
    expect(projects.map((p) => p.id)).toEqual([winner.project.id]);
    expect((await table.get({ pk: 'DOMAIN#mueller.vrs.gmbh', sk: 'DOMAIN' }))?.projectId).toBe(
      winner.project.id,
    );
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
  });

  it('gives the project the next free slug when the plain one is taken', async () => {
    // Prepare
    await seed({
      pk: 'SLUG#mueller',
      sk: 'SLUG',
      entity: 'SlugMarker',
      projectId: OTHER_PROJECT_ID,
    });

    // Act
    const res = await handler(order());

    // Assess
    expect(res.statusCode).toBe(201);
    const project = jsonBody<{ project: { id: string; slug: string } }>(res).project;
    expect(project.slug).toBe('mueller-2');
    expect((await table.get({ pk: 'SLUG#mueller-2', sk: 'SLUG' }))?.projectId).toBe(project.id);
    expect((await table.get({ pk: 'SLUG#mueller', sk: 'SLUG' }))?.projectId).toBe(OTHER_PROJECT_ID);
  });

  it('refuses an extra plugin without a monthly price with 422, naming it, and writes nothing', async () => {
    // Prepare: "galerie" is in the catalog but has no price for this project type.
    await seed(pluginRecord('galerie', '1.0.0'));

    // Act
    const res = await handler(order({ plugins: ['kontakt', 'galerie'] }));

    // Assess
    const { statusCode, contentType, problem } = problemOf(res);
    expect(statusCode).toBe(422);
    expect(contentType).toBe('application/problem+json');
    expect(problem.type).toMatch(/\/not-available$/);
    expect(problem.errors).toEqual([
      { path: 'plugins.1', message: 'no price for plugin "galerie" in cycle "monthly"' },
    ]);
    expect(await written()).toEqual([]);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('refuses a bundle one of whose plugins has no price in its cycle (422 on bundle)', async () => {
    // Prepare: the bundle's "bewertungen" lost its yearly price.
    await table.remove({ pk: 'PLUGIN#bewertungen', sk: 'PRICE#business_directory#yearly' });

    // Act
    const res = await handler(order());

    // Assess
    const { statusCode, problem } = problemOf(res);
    expect(statusCode).toBe(422);
    expect(problem.errors).toEqual([
      { path: 'bundle', message: 'no price for plugin "bewertungen" in cycle "yearly"' },
    ]);
    expect(await written()).toEqual([]);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('names an unknown bundle and plugin in errors[].path (400)', async () => {
    // Act
    const res = await handler(order({ bundle: 'verzeichnis-gold', plugins: ['kontakt', 'chat'] }));

    // Assess
    const { statusCode, problem } = problemOf(res);
    expect(statusCode).toBe(400);
    expect(problem.errors.map((e) => e.path).sort()).toEqual(['bundle', 'plugins.1']);
    expect(await written()).toEqual([]);
    expect(sfn.calls()).toHaveLength(0);
  });
});
