import { sign } from 'node:crypto';
import { isLicenseValid, type LicenseStatus } from './license.js';
import type { SigningKey } from './signing-keys.js';

// The offline license token (API contract: GET /v1/projects/{id}/license-token): a compact JWS
// (EdDSA over Ed25519) that a satellite verifies with only the published keys while the
// marketplace is unreachable. Pure: callers pass the licenses, the key and the time.

/** However long its licenses run, a satellite must come back for a new token within this. */
export const MAX_TOKEN_LIFETIME_SECONDS = 30 * 24 * 60 * 60;

export interface TokenPlugin {
  name: string;
  version: string | null;
  status: LicenseStatus;
  expiresAt: string | null;
}

export interface LicenseTokenClaims {
  sub: string;
  plugins: TokenPlugin[];
  iat: number;
  exp: number;
}

const seconds = (d: Date): number => Math.floor(d.getTime() / 1000);

/**
 * When the token expires (seconds since the epoch): the earliest expiry among the valid licenses
 * (one that never expires does not count), but never later than 30 days from now. So an offline
 * satellite never trusts a license past its end.
 */
export function tokenExpiry(
  plugins: readonly Pick<TokenPlugin, 'status' | 'expiresAt'>[],
  now: Date,
): number {
  const limit = seconds(now) + MAX_TOKEN_LIFETIME_SECONDS;
  return plugins
    .filter((p) => p.expiresAt !== null && isLicenseValid(p, now))
    .reduce((earliest, p) => Math.min(earliest, seconds(new Date(p.expiresAt!))), limit);
}

export function licenseTokenClaims(
  projectId: string,
  plugins: readonly TokenPlugin[],
  now: Date,
): LicenseTokenClaims {
  return {
    sub: projectId,
    plugins: plugins.map(({ name, version, status, expiresAt }) => ({ name, version, status, expiresAt })),
    iat: seconds(now),
    exp: tokenExpiry(plugins, now),
  };
}

const part = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** Compact JWS: header.payload.signature, each base64url (RFC 7515; EdDSA per RFC 8037). */
export function signLicenseToken(claims: LicenseTokenClaims, key: SigningKey): string {
  const input = `${part({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' })}.${part(claims)}`;
  const signature = sign(null, Buffer.from(input, 'ascii'), key.privateKey);
  return `${input}.${signature.toString('base64url')}`;
}
