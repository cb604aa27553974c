import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { signatureHeader } from '../../../../infra/local/simulators/stripe.js';
import {
  InvalidWebhookSignatureError,
  verifyWebhookSignature,
} from '../../../../shared/integrations/stripe/webhook.js';
import { ValidationError } from '../../../../shared/platform/errors.js';

// Webhook bodies are believed only when signed with our secret, on the exact bytes, within 300 s.

const SECRET = 'whsec_unit_test_secret';
const payload = JSON.stringify(
  { id: 'evt_1', object: 'event', type: 'checkout.session.completed', data: { object: { id: 'cs_test_1' } } },
  null,
  2,
);
const now = Date.parse('2026-11-02T10:00:00Z');
const at = (offsetSeconds: number) => Math.floor(now / 1000) + offsetSeconds;
const header = (opts: { secret?: string; timestamp?: number; body?: string } = {}) =>
  Stripe.webhooks.generateTestHeaderString({
    payload: opts.body ?? payload,
    secret: opts.secret ?? SECRET,
    timestamp: opts.timestamp ?? at(0),
  });

function refusal(fn: () => unknown): InvalidWebhookSignatureError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(InvalidWebhookSignatureError);
  expect(caught).toBeInstanceOf(ValidationError);
  expect((caught as ValidationError).status).toBe(400);
  return caught as InvalidWebhookSignatureError;
}

describe('verifyWebhookSignature', () => {
  it('returns the event of a correctly signed body, as string or bytes', () => {
    expect(verifyWebhookSignature(payload, header(), SECRET, now)).toMatchObject({
      id: 'evt_1',
      type: 'checkout.session.completed',
    });
    expect(verifyWebhookSignature(Buffer.from(payload), header(), SECRET, now).id).toBe('evt_1');
  });

  it('accepts a signature up to 300 s old and refuses an older one', () => {
    expect(verifyWebhookSignature(payload, header({ timestamp: at(-300) }), SECRET, now).id).toBe('evt_1');
    const stale = refusal(() =>
      verifyWebhookSignature(payload, header({ timestamp: at(-301) }), SECRET, now),
    );
    expect(stale.message).toBe('invalid Stripe-Signature: timestamp outside the tolerance zone');
    // An hour-old replay of a genuine delivery.
    refusal(() => verifyWebhookSignature(payload, header({ timestamp: at(-3600) }), SECRET, now));
  });

  it('refuses a missing, malformed or foreign signature', () => {
    expect(refusal(() => verifyWebhookSignature(payload, undefined, SECRET, now)).message).toBe(
      'missing Stripe-Signature header',
    );
    expect(refusal(() => verifyWebhookSignature(payload, '', SECRET, now)).message).toBe(
      'missing Stripe-Signature header',
    );
    expect(refusal(() => verifyWebhookSignature(payload, 'garbage', SECRET, now)).message).toBe(
      'invalid Stripe-Signature: malformed header',
    );
    const forged = refusal(() =>
      verifyWebhookSignature(payload, header({ secret: 'whsec_other' }), SECRET, now),
    );
    expect(forged.message).toBe('invalid Stripe-Signature: no signature matches the payload');
    expect(forged.message).not.toContain(SECRET);
  });

  it('refuses a body changed after signing, even only re-serialised', () => {
    refusal(() => verifyWebhookSignature(payload.replace('cs_test_1', 'cs_test_2'), header(), SECRET, now));
    refusal(() => verifyWebhookSignature(JSON.stringify(JSON.parse(payload)), header(), SECRET, now));
  });

  it('accepts the signatures the Stripe simulator sends', () => {
    const sim = signatureHeader(payload, SECRET, at(-10));
    expect(sim).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(payload, sim, SECRET, now).id).toBe('evt_1');
  });

  it('treats a missing secret as our fault, not the sender’s', () => {
    expect(() => verifyWebhookSignature(payload, header(), '', now)).toThrow(
      'the Stripe webhook secret is not set',
    );
    expect(() => verifyWebhookSignature(payload, header(), '', now)).not.toThrow(
      InvalidWebhookSignatureError,
    );
  });
});
