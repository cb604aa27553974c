import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  licenseTokenClaims,
  MAX_TOKEN_LIFETIME_SECONDS,
  signLicenseToken,
  type TokenPlugin,
  tokenExpiry,
} from '../../../shared/licensing/license-token.js';
import {
  activateKey,
  addKey,
  currentSigningKey,
  generateSigningKey,
  publishedKeys,
  retireKey,
  type SigningKeyRing,
} from '../../../shared/licensing/signing-keys.js';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const nowSeconds = NOW.getTime() / 1000;
const plugin = (over: Partial<TokenPlugin> = {}): TokenPlugin => ({
  name: 'kontakt',
  version: '2.1.0',
  status: 'active',
  expiresAt: null,
  ...over,
});

describe('tokenExpiry', () => {
  it('is 30 days from now when no valid license expires earlier', () => {
    expect(tokenExpiry([], NOW)).toBe(nowSeconds + MAX_TOKEN_LIFETIME_SECONDS);
    expect(tokenExpiry([plugin(), plugin({ expiresAt: '2025-12-31T00:00:00.000Z' })], NOW)).toBe(
      nowSeconds + MAX_TOKEN_LIFETIME_SECONDS,
    );
  });

  it('is the earliest expiry of a valid license (active or trial) within 30 days', () => {
    const plugins = [
      plugin({ expiresAt: '2025-03-20T00:00:00.000Z' }),
      plugin({ status: 'trial', expiresAt: '2025-03-10T08:30:00.900Z' }),
      plugin({ expiresAt: null }),
    ];
    expect(tokenExpiry(plugins, NOW)).toBe(Date.parse('2025-03-10T08:30:00.000Z') / 1000);
  });

  it('ignores licenses that are not valid: suspended, cancelled, or already past their expiry', () => {
    const plugins = [
      plugin({ status: 'suspended', expiresAt: '2025-03-02T00:00:00.000Z' }),
      plugin({ status: 'cancelled', expiresAt: '2025-03-03T00:00:00.000Z' }),
      plugin({ status: 'active', expiresAt: '2025-02-01T00:00:00.000Z' }),
      plugin({ status: 'expired', expiresAt: '2025-03-04T00:00:00.000Z' }),
    ];
    expect(tokenExpiry(plugins, NOW)).toBe(nowSeconds + MAX_TOKEN_LIFETIME_SECONDS);
  });
});

describe('licenseTokenClaims', () => {
  it('names the project and lists every plugin as the satellite sees it, with iat and exp', () => {
    const plugins = [
      plugin({ expiresAt: '2025-03-15T00:00:00.000Z' }),
      plugin({ name: 'crm', version: null, status: 'suspended' }),
    ];
    expect(licenseTokenClaims('p-1', plugins, NOW)).toEqual({
      sub: 'p-1',
      plugins,
      iat: nowSeconds,
      exp: Date.parse('2025-03-15T00:00:00.000Z') / 1000,
    });
  });
});

describe('signLicenseToken', () => {
  const ring = addKey({ keys: [] }, generateSigningKey(NOW));
  const claims = licenseTokenClaims('p-1', [plugin()], new Date());

  it('signs a JWS (EdDSA, kid) that verifies with only the published keys', async () => {
    const token = signLicenseToken(claims, currentSigningKey(ring)!);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', kid: ring.current, typ: 'JWT' });
    const { payload } = await jwtVerify(token, createLocalJWKSet({ keys: publishedKeys(ring) }), {
      algorithms: ['EdDSA'],
    });
    expect(payload).toEqual(claims);
  });

  it('fails verification once changed', async () => {
    const token = signLicenseToken(claims, currentSigningKey(ring)!);
    const [h, p, s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'p-2' })).toString('base64url');
    const jwks = createLocalJWKSet({ keys: publishedKeys(ring) });
    await expect(jwtVerify(`${h}.${forged}.${s}`, jwks, { algorithms: ['EdDSA'] })).rejects.toThrow();
    expect(p).not.toBe(forged);
  });
});

describe('the key ring', () => {
  it('publishes only public parts, with the kid as RFC 7638 thumbprint', () => {
    const ring = addKey({ keys: [] }, generateSigningKey(NOW));
    const [jwk] = publishedKeys(ring);
    expect(Object.keys(jwk!).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: ring.current });
  });

  it('has no current key while empty', () => {
    expect(currentSigningKey({ keys: [] })).toBeUndefined();
  });

  it('rotates by kid: a new key is published first, signs once activated, the old one stays until retired', async () => {
    const first = generateSigningKey(NOW);
    const second = generateSigningKey(NOW);
    let ring: SigningKeyRing = addKey({ keys: [] }, first);
    const oldToken = signLicenseToken(licenseTokenClaims('p-1', [], new Date()), currentSigningKey(ring)!);

    ring = addKey(ring, second);
    expect(ring.current).toBe(first.kid);
    ring = activateKey(ring, second.kid);
    expect(currentSigningKey(ring)!.kid).toBe(second.kid);
    const newToken = signLicenseToken(licenseTokenClaims('p-1', [], new Date()), currentSigningKey(ring)!);

    const both = createLocalJWKSet({ keys: publishedKeys(ring) });
    await expect(jwtVerify(oldToken, both, { algorithms: ['EdDSA'] })).resolves.toBeDefined();
    await expect(jwtVerify(newToken, both, { algorithms: ['EdDSA'] })).resolves.toBeDefined();

    expect(() => retireKey(ring, second.kid)).toThrow(/signs now/);
    ring = retireKey(ring, first.kid);
    const onlyNew = createLocalJWKSet({ keys: publishedKeys(ring) });
    await expect(jwtVerify(oldToken, onlyNew, { algorithms: ['EdDSA'] })).rejects.toThrow();
    await expect(jwtVerify(newToken, onlyNew, { algorithms: ['EdDSA'] })).resolves.toBeDefined();
  });

  it('refuses a stored kid that does not match its key', () => {
    const entry = generateSigningKey(NOW);
    expect(() => publishedKeys({ keys: [{ ...entry, kid: 'typo' }], current: 'typo' })).toThrow(
      /does not match/,
    );
  });
});
