import Stripe from 'stripe';
import { ExternalServiceError } from '../../platform/errors.js';

// Every failure of a Stripe call becomes one ExternalServiceError('stripe', …) whose `transient`
// says whether the same call (same idempotency key) may succeed later: the state machines retry
// those, and everything else fails where it happened (architecture §2).

/** A failed Stripe call. `code` is the HTTP status, or `timeout` / `network` / `bad-response`. */
export class StripeApiError extends ExternalServiceError {
  constructor(
    message: string,
    transient: boolean,
    code: string | number,
    /** HTTP status, absent for network errors and timeouts. */
    readonly httpStatus?: number,
    /** Stripe's error `type`: `card_error`, `invalid_request_error`, `idempotency_error`, `api_error`, … */
    readonly stripeType?: string,
    /** Stripe's error `code`, e.g. `resource_missing`, `card_declined`, `idempotency_key_in_use`. */
    readonly stripeCode?: string,
    /** Stripe's `Request-Id`, for their support. */
    readonly requestId?: string,
  ) {
    super('stripe', message, transient, code);
  }
}

export function isStripeResourceMissing(err: unknown): err is StripeApiError {
  return err instanceof StripeApiError && err.stripeCode === 'resource_missing';
}

/**
 * Transient: connection errors and timeouts, 5xx, 429 (rate limits, `lock_timeout`) and 409 (the
 * same idempotency key still in flight) — retrying with the same key is safe. Not transient: other
 * 4xx — card declines, invalid requests, a key reused with other parameters (`idempotency_error`),
 * authentication and permission errors — which the same request would only meet again.
 */
export function toStripeApiError(err: unknown, operation: string): unknown {
  if (err instanceof StripeApiError || !(err instanceof Stripe.errors.StripeError)) return err;
  const requestId = err.requestId;
  const id = requestId ? ` [${requestId}]` : '';
  if (err instanceof Stripe.errors.StripeConnectionError) {
    const timedOut = /timeout/i.test(err.message);
    return new StripeApiError(
      `${operation} ${timedOut ? 'timed out' : 'could not reach Stripe'}: ${redactSecrets(err.message)}${id}`,
      true,
      timedOut ? 'timeout' : 'network',
      undefined,
      undefined,
      undefined,
      requestId,
    );
  }
  const status = err.statusCode;
  if (status === undefined) {
    // The SDK got no JSON it could read (e.g. a proxy's HTML page): not Stripe's answer.
    return new StripeApiError(
      `${operation} failed: ${redactSecrets(err.message)}${id}`,
      true,
      'bad-response',
      undefined,
      undefined,
      undefined,
      requestId,
    );
  }
  const transient = status >= 500 || status === 429 || status === 409 || err.code === 'lock_timeout';
  const kind = [err.rawType, err.code, err.decline_code].filter(Boolean).join('/');
  return new StripeApiError(
    `${operation} failed with HTTP ${status}${kind ? ` (${kind})` : ''}: ${redactSecrets(err.message)}${id}`,
    transient,
    status,
    status,
    err.rawType,
    err.code,
    requestId,
  );
}

/** Stripe masks keys in its messages (`sk_test_****1234`); this makes sure nothing else slips through. */
export function redactSecrets(text: string): string {
  return text.replace(/\b(sk|rk|pk)_(live|test)_[A-Za-z0-9]+|\bwhsec_[A-Za-z0-9]+/g, (m) => {
    const prefix = m.startsWith('whsec_') ? 'whsec_' : m.slice(0, m.indexOf('_', 3) + 1);
    return `${prefix}[redacted]`;
  });
}
