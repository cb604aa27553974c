import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { api, orderBody, startTestStack, waitForStatus } from './support/api.js';
import { type Json, until } from './support/domains.js';

// Preview protection on the local runtime, as staff and a satellite see it: staff create an access
// (link and code shown once, mailed), the satellite verifies token and code with its key; wrong,
// foreign, used, revoked and expired ones get 401; 10 wrong tries lock the project's previews
// (429 even for a right one); staff switch protection and the satellite config follows. No token or
// code shows in the project log or the staff list.

let stack: LocalStack;
let call: ReturnType<typeof api>['call'];
let staff: string;
let a: { id: string; key: string };
let b: { id: string; key: string };
/** Only the lock test tries wrong codes on it. */
let c: { id: string; key: string };

beforeAll(async () => {
  stack = await startTestStack({ jobIntervalMs: 0 });
  ({ call } = api(stack));
  staff = await stack.token('vorschau@vrs.gmbh', 'staff');
  [a, b, c] = await Promise.all([
    liveProject('vorschau-a', 'Vorschau A'),
    liveProject('vorschau-b', 'Vorschau B'),
    liveProject('vorschau-c', 'Vorschau C'),
  ]);
  // Three provisionings on a machine shared with other test runs can take minutes.
}, 300_000);
afterAll(async () => {
  if (stack) await until(() => stack.satellites.list().every((s) => s.state !== 'bootstrapping'), 10_000);
  await stack?.stop();
});

const appOf = (id: string) =>
  stack.coolify
    .applications()
    .find((app) => app.envs.some((e) => e.key === 'VRS_PROJECT_ID' && e.value === id));
const keyOf = (id: string) => appOf(id)?.envs.find((e) => e.key === 'VRS_MARKETPLACE_KEY')?.value ?? '';

async function liveProject(subdomain: string, name: string) {
  const res = await call<Json>('POST', '/v1/projects', {
    token: staff,
    body: orderBody(subdomain, { name }),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const id = res.body.project.id as string;
  await waitForStatus(stack, staff, id, ['active'], 240_000);
  await until(() => keyOf(id) !== '', 10_000, `${name}'s key`);
  return { id, key: keyOf(id) };
}

const create = (id: string, body: unknown) =>
  call<Json>('POST', `/v1/admin/projects/${id}/preview-accesses`, { token: staff, body });
const verify = (p: { id: string; key: string }, body: unknown) =>
  call<Json>('POST', `/v1/projects/${p.id}/preview/verify`, { apiKey: p.key, body });
const list = async (id: string) =>
  (await call<Json>('GET', `/v1/admin/projects/${id}/preview-accesses`, { token: staff })).body;

describe('preview accesses', () => {
  let access: Json;

  it('staff create an access: link on the primary domain, code, expiry; the mail carries both', async () => {
    const res = await create(a.id, { email: 'gast@example.com', name: 'Frau Gast' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    access = res.body;
    expect(access.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(access.code).toMatch(/^[0-9]{6}$/);
    expect(access.magicLink).toBe(`https://vorschau-a.vrs.gmbh/?vrs_preview=${access.token}`);
    const hours = (Date.parse(access.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(47.9);
    expect(hours).toBeLessThanOrEqual(48);
    expect(access.mailSent).toBe(true);

    const mails = ((await (await fetch(`${stack.url}/sim/mail/messages`)).json()) as { items: Json[] }).items;
    const mail = mails.find((m) => [m.to].flat().includes('gast@example.com'));
    expect(mail?.subject).toBe('Vorschau von „Vorschau A“');
    expect(mail?.text).toContain(access.magicLink);
    expect(mail?.text).toContain(access.code);
  });

  it('the satellite verifies the token and the code (each use counted)', async () => {
    const byToken = await verify(a, { token: access.token });
    expect(byToken.status, JSON.stringify(byToken.body)).toBe(200);
    expect(byToken.body).toEqual({ valid: true, expiresAt: access.expiresAt });
    expect((await verify(a, { code: access.code })).status).toBe(200);
    const [listed] = (await list(a.id)).items as Json[];
    expect(listed).toMatchObject({ id: access.id, email: 'gast@example.com', name: 'Frau Gast', uses: 2 });
    expect(listed!.lastUsedAt).toEqual(expect.any(String));
  });

  it('malformed input is a 400 naming the field; another project cannot use it; its satellite key neither', async () => {
    const bad = await verify(a, { code: '12345' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'code', message: 'must be 6 digits' }]);
    expect((await verify(a, { token: access.token, code: access.code })).status).toBe(400);
    expect((await verify(a, {})).status).toBe(400);

    expect((await verify(b, { token: access.token })).status).toBe(401);
    expect((await verify(b, { code: access.code })).status).toBe(401);
    // B's key for A's project: not B's project.
    expect((await verify({ id: a.id, key: b.key }, { token: access.token })).status).toBe(404);
  });

  it('a single-use access is consumed by exactly one of five concurrent verifies', async () => {
    const once = (await create(a.id, { name: 'Einmal', singleUse: true, hoursValid: 1 })).body;
    const results = await Promise.all(Array.from({ length: 5 }, () => verify(a, { token: once.token })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401]);
    expect((await verify(a, { code: once.code })).status).toBe(401);
  });

  it('a revoked access gets 401; revoking again answers the same', async () => {
    const gone = (await create(a.id, { name: 'Widerruf' })).body;
    expect((await verify(a, { code: gone.code })).status).toBe(200);
    const del = await call<Json>('DELETE', `/v1/admin/projects/${a.id}/preview-accesses/${gone.id}`, {
      token: staff,
    });
    expect(del.status, JSON.stringify(del.body)).toBe(200);
    expect(del.body).toMatchObject({ id: gone.id, revokedBy: 'vorschau@vrs.gmbh' });
    const again = await call<Json>('DELETE', `/v1/admin/projects/${a.id}/preview-accesses/${gone.id}`, {
      token: staff,
    });
    expect(again.status).toBe(200);
    expect(again.body.revokedAt).toBe(del.body.revokedAt);
    expect((await verify(a, { token: gone.token })).status).toBe(401);
    expect((await verify(a, { code: gone.code })).status).toBe(401);
  });

  it('an expired access gets 401', async () => {
    const old = (await create(a.id, { name: 'Abgelaufen', hoursValid: 1 })).body;
    const doc = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: stack.dynamoEndpoint,
        region: 'eu-central-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
    await doc.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: { pk: `PROJECT#${a.id}`, sk: `PREVIEWACCESS#${old.id}` },
        UpdateExpression: 'SET expiresAt = :past',
        ExpressionAttributeValues: { ':past': new Date(Date.now() - 60_000).toISOString() },
      }),
    );
    expect((await verify(a, { token: old.token })).status).toBe(401);
  });

  it('only staff create and list accesses', async () => {
    const owner = await stack.token('owner@example.com', 'customer');
    expect(
      (await call('POST', `/v1/admin/projects/${a.id}/preview-accesses`, { token: owner, body: {} })).status,
    ).toBe(403);
    const bad = await create(a.id, { hoursValid: 0, email: 'nope', extra: 1 });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as Json[]).map((e) => e.path).sort()).toEqual(['email', 'extra', 'hoursValid']);
  });

  it('no token or code shows in the project log or the staff list', async () => {
    const logs = await call<Json>('GET', `/v1/projects/${a.id}/logs?limit=200`, { token: staff });
    const listed = await list(a.id);
    const text = JSON.stringify([logs.body, listed]);
    expect(text).toContain('preview_access_created');
    expect(text).not.toContain(access.token);
    expect(text).not.toMatch(new RegExp(`\\b${access.code}\\b`));
    for (const item of listed.items as Json[]) {
      expect(Object.keys(item)).not.toContain('token');
      expect(Object.keys(item)).not.toContain('code');
    }
  });
});

describe('the brute-force lock', () => {
  it('after 10 wrong tries within 15 minutes every try gets 429, also the right one', async () => {
    const right = (await create(c.id, { name: 'Sperre' })).body;
    const wrong = right.code === '000000' ? '000001' : '000000';
    for (let i = 0; i < 10; i++) expect((await verify(c, { code: wrong })).status).toBe(401);
    const locked = await verify(c, { code: right.code });
    expect(locked.status).toBe(429);
    expect(locked.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);
    expect((await verify(c, { token: right.token })).status).toBe(429);
    // Another project's previews are not locked.
    const other = (await create(a.id, { name: 'Andere' })).body;
    expect((await verify(a, { token: other.token })).status).toBe(200);
  });
});

describe('switching protection', () => {
  it('shows in the satellite config with the robots tag, and is logged', async () => {
    const config = async () =>
      (await call<Json>('GET', `/v1/projects/${a.id}/config`, { apiKey: a.key })).body;
    expect(await config()).toMatchObject({ previewProtection: false, robotsTag: null });
    const on = await call<Json>('PUT', `/v1/admin/projects/${a.id}/preview-protection`, {
      token: staff,
      body: { enabled: true },
    });
    expect(on.status, JSON.stringify(on.body)).toBe(200);
    expect(on.body).toMatchObject({ id: a.id, previewProtection: true });
    expect(await config()).toMatchObject({ previewProtection: true, robotsTag: 'noindex, nofollow' });
    await call('PUT', `/v1/admin/projects/${a.id}/preview-protection`, {
      token: staff,
      body: { enabled: false },
    });
    expect(await config()).toMatchObject({ previewProtection: false, robotsTag: null });
    const logs = (await call<Json>('GET', `/v1/projects/${a.id}/logs?limit=200`, { token: staff })).body
      .items as Json[];
    expect(logs.map((l) => l.action)).toEqual(
      expect.arrayContaining(['preview_protection_on', 'preview_protection_off']),
    );
    expect(
      (
        await call('PUT', `/v1/admin/projects/${a.id}/preview-protection`, {
          token: staff,
          body: { enabled: 'yes' },
        })
      ).status,
    ).toBe(400);
  });
});
