import Stripe from 'stripe';
import { ValidationError } from '../../platform/errors.js';

// Webhook events are believed only with a valid `Stripe-Signature` over the raw body, at most
// 5 minutes old (Stripe's default tolerance): anything else could be forged or replayed. The HTTP
// layer answers this error with 400 (api-contract "Webhooks"), which Stripe retries later.

export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** A webhook whose signature is missing, wrong or too old. The message never repeats the header. */
export class InvalidWebhookSignatureError extends ValidationError {}

/**
 * The event the signed body carries. `now` (ms) is when it was received (tests); the body must be
 * exactly the bytes Stripe sent — a re-serialised JSON body does not verify.
 */
export function verifyWebhookSignature(
  rawBody: string | Uint8Array,
  signatureHeader: string | undefined,
  webhookSecret: string,
  now: number = Date.now(),
): Stripe.Event {
  if (!signatureHeader) throw new InvalidWebhookSignatureError('missing Stripe-Signature header');
  try {
    return Stripe.webhooks.constructEvent(
      rawBody,
      signatureHeader,
      webhookSecret,
      WEBHOOK_TOLERANCE_SECONDS,
      undefined,
      now,
    );
  } catch (err) {
    if (err instanceof Stripe.errors.StripeSignatureVerificationError) {
      // Our configuration, not the sender's fault: a 500, so it is seen (and Stripe retries).
      if (/webhook secret/i.test(err.message)) throw new Error('the Stripe webhook secret is not set');
      throw new InvalidWebhookSignatureError(`invalid Stripe-Signature: ${reason(err.message)}`);
    }
    // A body that verifies but is not JSON: Stripe never sends that, so it is bad input too.
    if (err instanceof SyntaxError) throw new InvalidWebhookSignatureError('webhook body is not JSON');
    throw err;
  }
}

/** The SDK's messages, shortened to what is safe and useful in a log (they can quote the header). */
function reason(message: string): string {
  if (/tolerance/i.test(message)) return 'timestamp outside the tolerance zone';
  if (/Unable to extract timestamp and signatures/i.test(message)) return 'malformed header';
  if (/No signatures found matching/i.test(message)) return 'no signature matches the payload';
  if (/expected scheme/i.test(message)) return 'no v1 signature';
  if (/payload/i.test(message)) return 'missing body';
  return 'verification failed';
}
