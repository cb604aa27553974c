import * as z from 'zod';
import { defineConfig } from '../../platform/config.js';
import { readJsonSecret } from '../../platform/secrets.js';
import { externalTimeout } from '../external-timeout.js';
import { StripeClient } from './stripe-client.js';

// The Stripe client, configured from its Secrets Manager secret once per cold start. The secret
// holds the API key and the webhook signing secret; `apiBaseUrl` only locally, where it points the
// SDK at the Stripe simulator's own loopback port (infra/local/README.md, "Stripe simulator").

const config = defineConfig('Stripe', z.object({ STRIPE_SECRET_ARN: z.string().min(1) }));
const secret = z.object({
  secretKey: z.string().regex(/^(sk|rk)_(live|test)_/, 'must be a secret (sk_) or restricted (rk_) key'),
  webhookSecret: z.string().startsWith('whsec_'),
  apiBaseUrl: z.url().optional(),
});

let client: Promise<StripeClient> | undefined;

export function stripe(): Promise<StripeClient> {
  client ??= readJsonSecret(config().STRIPE_SECRET_ARN, secret)
    .then((s) => new StripeClient({ ...s, timeoutMs: externalTimeout().EXTERNAL_TIMEOUT_MS }))
    .catch((err: unknown) => {
      client = undefined;
      throw err;
    });
  return client;
}
