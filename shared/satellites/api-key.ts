import { createHash, randomBytes } from 'node:crypto';

// Satellite API keys: 32 random bytes, shown once (set as VRS_MARKETPLACE_KEY on the Coolify app),
// stored only as a SHA-256 hash. A fast hash is fine here: the key has 256 bits of entropy.

const PREFIX = 'vrs_';

export function generateApiKey(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function looksLikeApiKey(value: string): boolean {
  return value.startsWith(PREFIX) && value.length >= PREFIX.length + 40 && value.length <= 100;
}
