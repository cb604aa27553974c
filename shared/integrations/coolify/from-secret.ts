import * as z from 'zod';
import { defineConfig } from '../../platform/config.js';
import { readJsonSecret } from '../../platform/secrets.js';
import { externalTimeout } from '../external-timeout.js';
import { CoolifyClient } from './coolify-client.js';

// The Coolify client, configured from its Secrets Manager secret once per cold start.

const config = defineConfig('Coolify', z.object({ COOLIFY_SECRET_ARN: z.string().min(1) }));
const secret = z.object({ baseUrl: z.url(), token: z.string().min(1) });

let client: Promise<CoolifyClient> | undefined;

export function coolify(): Promise<CoolifyClient> {
  client ??= readJsonSecret(config().COOLIFY_SECRET_ARN, secret)
    .then((s) => new CoolifyClient({ ...s, timeoutMs: externalTimeout().EXTERNAL_TIMEOUT_MS }))
    .catch((err: unknown) => {
      client = undefined;
      throw err;
    });
  return client;
}
