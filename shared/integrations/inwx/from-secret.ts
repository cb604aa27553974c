import * as z from 'zod';
import { defineConfig } from '../../platform/config.js';
import { afterEachInvocation } from '../../platform/lambda/after-invocation.js';
import { readJsonSecret } from '../../platform/secrets.js';
import { externalTimeout } from '../external-timeout.js';
import { InwxClient } from './inwx-client.js';

// The INWX client, configured from its Secrets Manager secret once per cold start. Its session
// (one login) serves every call of an invocation and is closed at the invocation's end: INWX
// limits open sessions (2502), and an instance may sit idle for long.

const config = defineConfig('INWX', z.object({ INWX_SECRET_ARN: z.string().min(1) }));
const secret = z.object({
  url: z.url(),
  user: z.string().min(1),
  pass: z.string().min(1),
  /** Base32 TOTP secret, only for an account with 2FA. */
  sharedSecret: z.string().min(1).optional(),
});

let client: Promise<InwxClient> | undefined;

export function inwx(): Promise<InwxClient> {
  client ??= readJsonSecret(config().INWX_SECRET_ARN, secret)
    .then((s) => new InwxClient({ ...s, timeoutMs: externalTimeout().EXTERNAL_TIMEOUT_MS }))
    .catch((err: unknown) => {
      client = undefined;
      throw err;
    });
  return client;
}

afterEachInvocation(async () => {
  const open = client;
  if (open) await (await open.catch(() => undefined))?.logout();
});
