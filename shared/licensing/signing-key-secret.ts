import * as z from 'zod';
import { defineConfig } from '../platform/config.js';
import { ExternalServiceError } from '../platform/errors.js';
import { readJsonSecret } from '../platform/secrets.js';
import {
  currentSigningKey,
  type PublicJwk,
  publishedKeys,
  type SigningKey,
  signingKeyRing,
} from './signing-keys.js';

// The license signing key ring from Secrets Manager (LICENSE_KEY_SECRET_ARN), read once per cold
// start like every secret. Only the functions with `signsLicenses` load this module.

const licenseKeyConfig = defineConfig('license key', z.object({ LICENSE_KEY_SECRET_ARN: z.string().min(1) }));

interface LoadedRing {
  current: SigningKey | undefined;
  published: PublicJwk[];
}

let loaded: Promise<LoadedRing> | undefined;

function loadRing(): Promise<LoadedRing> {
  loaded ??= readJsonSecret(licenseKeyConfig().LICENSE_KEY_SECRET_ARN, signingKeyRing)
    .then((ring) => ({ current: currentSigningKey(ring), published: publishedKeys(ring) }))
    .catch((err: unknown) => {
      loaded = undefined;
      if (err instanceof ExternalServiceError) throw err;
      // A key that does not parse: name the problem, never the key.
      throw new ExternalServiceError('aws', `license key ring is unusable: ${(err as Error).message}`, false);
    });
  return loaded;
}

/** The key that signs tokens now; 503 (logged) until an operator has added one (docs/operations.md). */
export async function licenseSigningKey(): Promise<SigningKey> {
  const { current } = await loadRing();
  if (!current) {
    throw new ExternalServiceError(
      'aws',
      'the license key ring has no current key yet: run "npm run license-keys -- add" (docs/operations.md)',
      false,
    );
  }
  return current;
}

/** Every public key satellites may meet in a token (current and those kept during a rotation). */
export async function licenseKeySet(): Promise<{ keys: PublicJwk[] }> {
  return { keys: (await loadRing()).published };
}
