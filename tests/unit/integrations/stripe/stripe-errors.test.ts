import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { STRIPE_API_VERSION } from '../../../../shared/integrations/stripe/api-version.js';
import {
  redactSecrets,
  StripeApiError,
  toStripeApiError,
} from '../../../../shared/integrations/stripe/errors.js';
import { stripeCallOptions } from '../../../../shared/integrations/stripe/request-options.js';
import { withDeadline } from '../../../../shared/platform/deadline.js';
import { ExternalServiceError, TransientError } from '../../../../shared/platform/errors.js';

// How failed Stripe calls map onto our errors (transient or not), and how much time a call gets.

const raw = (statusCode: number | undefined, fields: Record<string, unknown> = {}) => ({
  message: 'boom',
  requestId: 'req_123',
  ...(statusCode !== undefined && { statusCode }),
  ...fields,
});

function mapped(err: unknown): StripeApiError {
  const out = toStripeApiError(err, 'create customer');
  expect(out).toBeInstanceOf(StripeApiError);
  expect(out).toBeInstanceOf(ExternalServiceError);
  return out as StripeApiError;
}

describe('toStripeApiError', () => {
  it.each([
    ['a 500', new Stripe.errors.StripeAPIError(raw(500, { type: 'api_error' })), 500],
    ['a 503', new Stripe.errors.StripeAPIError(raw(503)), 503],
    ['a 429 rate limit', new Stripe.errors.StripeRateLimitError(raw(429, { code: 'rate_limit' })), 429],
    [
      'a 409: the same idempotency key still in flight',
      new Stripe.errors.StripeAPIError(
        raw(409, { type: 'invalid_request_error', code: 'idempotency_key_in_use' }),
      ),
      409,
    ],
    ['a lock timeout', new Stripe.errors.StripeRateLimitError(raw(429, { code: 'lock_timeout' })), 429],
  ])('makes %s transient', (_name, err, status) => {
    const e = mapped(err);
    expect(e).toMatchObject({ service: 'stripe', transient: true, httpStatus: status, code: status });
    expect(e.message).toContain('create customer failed with HTTP');
    expect(e.message).toContain('[req_123]');
  });

  it('makes connection errors and timeouts transient', () => {
    const network = mapped(
      new Stripe.errors.StripeConnectionError({
        message: 'An error occurred with our connection to Stripe.',
      }),
    );
    expect(network).toMatchObject({ transient: true, code: 'network', httpStatus: undefined });
    const timeout = mapped(
      new Stripe.errors.StripeConnectionError({
        message: 'Request aborted due to timeout being reached (300ms)',
      }),
    );
    expect(timeout).toMatchObject({ transient: true, code: 'timeout' });
    expect(timeout.message).toContain('create customer timed out');
  });

  it.each([
    [
      'a declined card',
      new Stripe.errors.StripeCardError(
        raw(402, { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds' }),
      ),
      402,
    ],
    [
      'an invalid request',
      new Stripe.errors.StripeInvalidRequestError(
        raw(400, { type: 'invalid_request_error', code: 'parameter_missing' }),
      ),
      400,
    ],
    [
      'a missing object',
      new Stripe.errors.StripeInvalidRequestError(raw(404, { code: 'resource_missing' })),
      404,
    ],
    [
      'a key reused with other parameters',
      new Stripe.errors.StripeIdempotencyError(raw(400, { type: 'idempotency_error' })),
      400,
    ],
    ['a refused API key', new Stripe.errors.StripeAuthenticationError(raw(401)), 401],
    ['a missing permission', new Stripe.errors.StripePermissionError(raw(403)), 403],
  ])('keeps %s permanent', (_name, err, status) => {
    expect(mapped(err)).toMatchObject({ transient: false, httpStatus: status });
  });

  it("keeps Stripe's type and code, and the decline code in the message", () => {
    const e = mapped(
      new Stripe.errors.StripeCardError(
        raw(402, { type: 'card_error', code: 'card_declined', decline_code: 'expired_card' }),
      ),
    );
    expect(e).toMatchObject({ stripeType: 'card_error', stripeCode: 'card_declined', requestId: 'req_123' });
    expect(e.message).toContain('(card_error/card_declined/expired_card)');
  });

  it('never repeats a key that slipped into a message', () => {
    const e = mapped(
      new Stripe.errors.StripeAuthenticationError(
        raw(401, { message: 'Invalid API Key provided: sk_live_51HabcDEF, webhook whsec_abc123' }),
      ),
    );
    expect(e.message).not.toMatch(/51HabcDEF|abc123/);
    expect(e.message).toContain('sk_live_[redacted]');
    expect(redactSecrets('rk_test_xyz and sk_test_****1234')).toBe('rk_test_[redacted] and sk_test_****1234');
  });

  it('passes on what is not a Stripe error', () => {
    const bug = new TypeError('x is undefined');
    expect(toStripeApiError(bug, 'op')).toBe(bug);
    const already = new StripeApiError('m', true, 500);
    expect(toStripeApiError(already, 'op')).toBe(already);
  });
});

describe('stripeCallOptions', () => {
  it('outside an invocation: the full limit per attempt and the retries asked for', () => {
    expect(stripeCallOptions(10_000, 1)).toEqual({ timeout: 10_000, maxNetworkRetries: 1 });
    expect(stripeCallOptions(3_000, 0)).toEqual({ timeout: 3_000, maxNetworkRetries: 0 });
  });

  it('shares the time left between the attempts and the waits between them', async () => {
    // 10 s left, 1.5 s kept back: 8.5 s for two attempts and one 0.5 s wait.
    const opts = await withDeadline(10_000, async () => stripeCallOptions(10_000, 1));
    expect(opts.maxNetworkRetries).toBe(1);
    expect(opts.timeout).toBeGreaterThan(3_900);
    expect(opts.timeout).toBeLessThanOrEqual(4_000);
  });

  it('drops retries that would leave an attempt too little time', async () => {
    const opts = await withDeadline(4_000, async () => stripeCallOptions(10_000, 2));
    expect(opts.maxNetworkRetries).toBe(0);
    expect(opts.timeout).toBeGreaterThan(2_400);
    expect(opts.timeout).toBeLessThanOrEqual(2_500);
  });

  it('fails as transient when no attempt fits any more', async () => {
    await expect(withDeadline(1_600, async () => stripeCallOptions(10_000, 1))).rejects.toBeInstanceOf(
      TransientError,
    );
  });
});

it('pins the API version the SDK ships with', () => {
  expect(STRIPE_API_VERSION).toBe(Stripe.API_VERSION);
});
