import { handleStripeWebhook } from '../../shared/billing/stripe-webhook.js';
import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { routes } from '../routes.js';

// The signature covers the exact bytes Stripe sent: the raw body, never a re-serialised one.
export const handler = httpHandler(routes.stripeWebhook, ({ event }) => {
  const raw = event.body ?? '';
  const body = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  return handleStripeWebhook(body, event.headers['stripe-signature']);
});
