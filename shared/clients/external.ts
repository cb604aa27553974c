import { z } from 'zod';
import { defineConfig } from '../config.js';
import { CoolifyClient } from './coolify-client.js';
import { InwxClient } from './inwx-client.js';
import { readJsonSecret } from './secrets.js';

// Factories for the external clients, configured from Secrets Manager once per cold start.

const config = defineConfig(
  'external services',
  z.object({
    INWX_SECRET_ARN: z.string().min(1),
    COOLIFY_SECRET_ARN: z.string().min(1),
    EXTERNAL_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  }),
);

const inwxSecret = z.object({ url: z.url(), user: z.string().min(1), pass: z.string().min(1) });
const coolifySecret = z.object({ baseUrl: z.url(), token: z.string().min(1) });

let inwxClient: Promise<InwxClient> | undefined;
let coolifyClient: Promise<CoolifyClient> | undefined;

export function inwx(): Promise<InwxClient> {
  inwxClient ??= readJsonSecret(config().INWX_SECRET_ARN, inwxSecret)
    .then((s) => new InwxClient({ ...s, timeoutMs: config().EXTERNAL_TIMEOUT_MS }))
    .catch((err: unknown) => {
      inwxClient = undefined;
      throw err;
    });
  return inwxClient;
}

export function coolify(): Promise<CoolifyClient> {
  coolifyClient ??= readJsonSecret(config().COOLIFY_SECRET_ARN, coolifySecret)
    .then((s) => new CoolifyClient({ ...s, timeoutMs: config().EXTERNAL_TIMEOUT_MS }))
    .catch((err: unknown) => {
      coolifyClient = undefined;
      throw err;
    });
  return coolifyClient;
}
