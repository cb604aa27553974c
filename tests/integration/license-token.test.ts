import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { api, orderBody, startTestStack, waitForStatus } from './support/api.js';
import { type Json, until } from './support/domains.js';

// Offline license tokens on the local runtime, as a satellite uses them: it fetches a token with its
// key (plain fetch, the key from its Coolify env), and verifies it later with nothing but the
// published keys (jose, EdDSA only). A changed token fails; a staff suspension of one license shows
// in the next token; a suspended project's key gets no token.

let stack: LocalStack;
let call: ReturnType<typeof api>['call'];
let staff: string;

beforeAll(async () => {
  stack = await startTestStack({ jobIntervalMs: 0 });
  ({ call } = api(stack));
  staff = await stack.token('lizenzen@vrs.gmbh', 'staff');
});
afterAll(async () => {
  if (stack) await until(() => stack.satellites.list().every((s) => s.state !== 'bootstrapping'), 30_000);
  await stack?.stop();
});

const appOf = (id: string) =>
  stack.coolify.applications().find((a) => a.envs.some((e) => e.key === 'VRS_PROJECT_ID' && e.value === id));
const envOf = (id: string, key: string) => appOf(id)?.envs.find((e) => e.key === key)?.value ?? '';
const satelliteOf = (id: string) => stack.satellites.list().find((s) => s.projectId === id);

/** What a satellite does: VRS_MARKETPLACE_URL + its key, nothing else. */
async function fetchToken(id: string, key = envOf(id, 'VRS_MARKETPLACE_KEY'), pathId = id) {
  const res = await fetch(`${envOf(id, 'VRS_MARKETPLACE_URL')}/v1/projects/${pathId}/license-token`, {
    headers: { 'x-api-key': key },
  });
  return { status: res.status, body: (await res.json()) as Json };
}

async function fetchKeys(): Promise<{ res: Response; jwks: JSONWebKeySet }> {
  const res = await fetch(`${stack.url}/v1/.well-known/license-keys`);
  return { res, jwks: (await res.json()) as JSONWebKeySet };
}

/** Offline: only the key set, fetched earlier. */
const verifyOffline = (token: string, jwks: JSONWebKeySet) =>
  jwtVerify(token, createLocalJWKSet(jwks), { algorithms: ['EdDSA'] });

describe('offline license token', () => {
  let id: string;
  let jwks: JSONWebKeySet;

  beforeAll(async () => {
    const res = await call<Json>('POST', '/v1/projects', {
      token: staff,
      body: orderBody('offline', { name: 'Offline Kanzlei' }),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    id = res.body.project.id as string;
    // Generous: four other test runs share two CPUs.
    await waitForStatus(stack, staff, id, ['active'], 90_000);
    await until(() => satelliteOf(id)?.state === 'healthy', 20_000, 'satellite healthy');
    ({ jwks } = await fetchKeys());
  });

  it('publishes the public keys, cacheable, without any private part', async () => {
    const { res, jwks: keys } = await fetchKeys();
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
    expect(keys.keys).toHaveLength(1);
    const [key] = keys.keys;
    expect(Object.keys(key!).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
    expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
  });

  it("gives the satellite a token it verifies offline: its project, its plugins' versions and licenses", async () => {
    const { status, body } = await fetchToken(id);
    expect(status, JSON.stringify(body)).toBe(200);
    const token = body.token as string;
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', kid: jwks.keys[0]!.kid, typ: 'JWT' });

    const { payload } = await verifyOffline(token, jwks);
    const plugins = (
      await call<Json>('GET', `/v1/projects/${id}/plugins`, { apiKey: envOf(id, 'VRS_MARKETPLACE_KEY') })
    ).body.items as Json[];
    expect(payload.sub).toBe(id);
    expect(payload.plugins).toEqual(plugins);
    expect(plugins.map((p) => p.name)).toContain('kontakt');
    expect(plugins.every((p) => typeof p.version === 'string')).toBe(true);

    // Valid until the earliest expiry of a valid license, at most 30 days.
    const expiries = plugins
      .filter((p) => p.expiresAt)
      .map((p) => Math.floor(Date.parse(p.expiresAt as string) / 1000));
    const limit = payload.iat! + 30 * 24 * 3600;
    expect(payload.exp).toBe(Math.min(limit, ...expiries));
    expect(body.expiresAt).toBe(new Date(payload.exp! * 1000).toISOString());
  });

  it('a changed token fails verification', async () => {
    const token = (await fetchToken(id)).body.token as string;
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Json;
    claims.plugins = (claims.plugins as Json[]).map((p) => ({ ...p, status: 'active', expiresAt: null }));
    claims.exp = (claims.exp as number) + 365 * 24 * 3600;
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    await expect(verifyOffline(forged, jwks)).rejects.toThrow();
    // Nor does a token signed by someone else's key with our kid.
    const flipped = `${header}.${payload}.${signature.slice(0, -4)}${signature.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    await expect(verifyOffline(flipped, jwks)).rejects.toThrow();
  });

  it('refuses another project (404), a wrong key and no key (401)', async () => {
    // A key opens only its own project; another looks like it does not exist.
    expect((await fetchToken(id, undefined, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await fetchToken(id, `vrs_${'x'.repeat(43)}`)).status).toBe(401);
    const res = await fetch(`${stack.url}/v1/projects/${id}/license-token`);
    expect(res.status).toBe(401);
  });

  it('shows a license staff suspended as "suspended" in the next token', async () => {
    const res = await call<Json>('PUT', `/v1/admin/projects/${id}/licenses/kontakt`, {
      token: staff,
      body: { action: 'suspend', reason: 'Lizenzprüfung' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { payload } = await verifyOffline((await fetchToken(id)).body.token as string, jwks);
    expect((payload.plugins as Json[]).find((p) => p.name === 'kontakt')).toMatchObject({
      name: 'kontakt',
      status: 'suspended',
    });
  });

  it("refuses a suspended project's key (403)", async () => {
    const res = await call<Json>('POST', `/v1/admin/projects/${id}/suspend`, {
      token: staff,
      body: { reason: 'Rechnung offen' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    await waitForStatus(stack, staff, id, ['suspended'], 50_000);
    const { status, body } = await fetchToken(id);
    expect(status, JSON.stringify(body)).toBe(403);
    expect(JSON.stringify(body)).not.toContain('token"');
  });
});
