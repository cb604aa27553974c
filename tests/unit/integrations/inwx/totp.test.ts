import { describe, expect, it } from 'vitest';
import { base32Decode, hotp, totp, totpStep } from '../../../../shared/integrations/inwx/totp.js';

// RFC 6238 appendix B, SHA-1: the key is the ASCII string "12345678901234567890".
const RFC_KEY = '12345678901234567890';
const RFC_KEY_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const VECTORS: [seconds: number, eightDigits: string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238, SHA-1, 30 s)', () => {
  it('decodes base32 in any case, with spaces and padding', () => {
    expect(base32Decode(RFC_KEY_BASE32).toString('ascii')).toBe(RFC_KEY);
    expect(base32Decode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq').toString('ascii')).toBe(RFC_KEY);
    expect(base32Decode('MZXW6===').toString('ascii')).toBe('foo');
    expect(() => base32Decode('not base32!')).toThrow(/base32/);
  });

  it.each(VECTORS)('matches the RFC test vector at T = %i s', (seconds, eightDigits) => {
    const nowMs = seconds * 1000;
    expect(hotp(Buffer.from(RFC_KEY, 'ascii'), totpStep(nowMs), 8)).toBe(eightDigits);
    // Six digits, as authenticator apps and INWX use them: the last six of the same value.
    expect(totp(RFC_KEY_BASE32, nowMs)).toBe(eightDigits.slice(2));
  });

  it('keeps its value for the whole 30-second step', () => {
    expect(totp(RFC_KEY_BASE32, 1111111110_000)).toBe(totp(RFC_KEY_BASE32, 1111111139_999));
    expect(totp(RFC_KEY_BASE32, 1111111140_000)).not.toBe(totp(RFC_KEY_BASE32, 1111111139_999));
  });
});
