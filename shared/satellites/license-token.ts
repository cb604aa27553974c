import { licenseTokenClaims, signLicenseToken } from '../licensing/license-token.js';
import { licenseSigningKey } from '../licensing/signing-key-secret.js';
import { satellitePlugins } from './satellite-api.js';

// GET /v1/projects/{id}/license-token: what GET /v1/projects/{id}/plugins answers, signed, so a
// satellite can check its licenses offline (shared/licensing/license-token.ts has the rules).

export async function licenseToken(keyProjectId: string, projectId: string) {
  const [{ items }, key] = await Promise.all([
    satellitePlugins(keyProjectId, projectId),
    licenseSigningKey(),
  ]);
  const claims = licenseTokenClaims(projectId, items, new Date());
  return { token: signLicenseToken(claims, key), expiresAt: new Date(claims.exp * 1000).toISOString() };
}
