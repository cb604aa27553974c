import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import * as z from 'zod';

// The Ed25519 keys that sign offline license tokens (docs/decisions/0011-license-signing-keys.md).
// The key ring is one JSON secret: every key still published, and the one that signs now. A key's
// id is its RFC 7638 JWK thumbprint, so it follows from the key and cannot be mistyped.

export const signingKeyRing = z.object({
  keys: z.array(
    z.object({
      kid: z.string().min(1),
      /** PKCS#8 DER of the private key, base64. */
      privateKeyPkcs8: z.string().min(1),
      createdAt: z.string(),
    }),
  ),
  /** The kid that signs new tokens; absent until the first key is added. */
  current: z.string().optional(),
});
export type SigningKeyRing = z.infer<typeof signingKeyRing>;
export type SigningKeyEntry = SigningKeyRing['keys'][number];

/** A public key as published in the JWKS (GET /v1/.well-known/license-keys). */
export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
}

function xOf(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.x) throw new Error('not an Ed25519 key');
  return jwk.x;
}

/** RFC 7638 thumbprint: SHA-256 over the required members in lexicographic order. */
function thumbprint(x: string): string {
  return createHash('sha256')
    .update(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x }))
    .digest('base64url');
}

function privateKeyOf(entry: SigningKeyEntry): KeyObject {
  const key = createPrivateKey({
    key: Buffer.from(entry.privateKeyPkcs8, 'base64'),
    format: 'der',
    type: 'pkcs8',
  });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`license key ${entry.kid} is not an Ed25519 key`);
  return key;
}

/** A new key for the ring (the private part leaves this process only inside the secret). */
export function generateSigningKey(now: Date): SigningKeyEntry {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    kid: thumbprint(xOf(publicKey)),
    privateKeyPkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    createdAt: now.toISOString(),
  };
}

/** The public half of every key in the ring: what satellites verify with. */
export function publishedKeys(ring: SigningKeyRing): PublicJwk[] {
  return ring.keys.map((entry) => {
    const x = xOf(createPublicKey(privateKeyOf(entry)));
    if (thumbprint(x) !== entry.kid) throw new Error(`license key ${entry.kid}: kid does not match the key`);
    return { kty: 'OKP', crv: 'Ed25519', x, kid: entry.kid, alg: 'EdDSA', use: 'sig' };
  });
}

/** The key that signs now; undefined while the ring has none (the operator adds the first one). */
export function currentSigningKey(ring: SigningKeyRing): SigningKey | undefined {
  const entry = ring.keys.find((k) => k.kid === ring.current);
  return entry ? { kid: entry.kid, privateKey: privateKeyOf(entry) } : undefined;
}

// --- Ring changes (infra/license-keys.ts, the local runtime) ------------------------------------

/** Adds a key; it signs at once only when the ring had no current key (else: `activateKey` later). */
export function addKey(ring: SigningKeyRing, entry: SigningKeyEntry): SigningKeyRing {
  return { keys: [...ring.keys, entry], current: ring.current ?? entry.kid };
}

/** Makes a published key the one that signs. */
export function activateKey(ring: SigningKeyRing, kid: string): SigningKeyRing {
  if (!ring.keys.some((k) => k.kid === kid)) throw new Error(`no key ${kid} in the ring`);
  return { ...ring, current: kid };
}

/** Removes a key that no longer signs: tokens it signed stop verifying. */
export function retireKey(ring: SigningKeyRing, kid: string): SigningKeyRing {
  if (ring.current === kid) throw new Error(`key ${kid} signs now: activate another key first`);
  if (!ring.keys.some((k) => k.kid === kid)) throw new Error(`no key ${kid} in the ring`);
  return { ...ring, keys: ring.keys.filter((k) => k.kid !== kid) };
}
