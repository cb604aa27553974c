import * as z from 'zod';

// Offline license tokens (API contract, Satellite API): the token and the keys that verify it.

export const licenseTokenView = z.object({
  token: z
    .string()
    .describe(
      'Compact JWS (EdDSA, header kid): sub, plugins [{ name, version, status, expiresAt }], iat, exp',
    ),
  expiresAt: z.string(),
});

export const licenseKeySetView = z.object({
  keys: z.array(
    z.object({
      kty: z.literal('OKP'),
      crv: z.literal('Ed25519'),
      x: z.string(),
      kid: z.string(),
      alg: z.literal('EdDSA'),
      use: z.literal('sig'),
    }),
  ),
});
