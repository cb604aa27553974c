import Stripe from 'stripe';
import type { LocalStack } from '../../../infra/local/local-stack.js';

export const WEBHOOK_SECRET = 'whsec_local_test';

/** Posts `payload` to the webhook as Stripe would, signed with `secret` at `timestamp`. */
export function deliverToWebhook(
  stack: LocalStack,
  payload: string,
  opts: { secret?: string; timestamp?: number; signature?: string } = {},
): Promise<Response> {
  const signature =
    opts.signature ??
    Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: opts.secret ?? WEBHOOK_SECRET,
      ...(opts.timestamp ? { timestamp: opts.timestamp } : {}),
    });
  return fetch(`${stack.url}/v1/webhooks/stripe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    body: payload,
  });
}
