import { createHmac } from 'node:crypto';

// RFC 6238 time-based one-time passwords (HMAC-SHA-1, 30 s steps), as INWX's account.unlock expects
// from an authenticator app's shared secret. Small enough not to need a dependency.

const STEP_SECONDS = 30;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (upper or lower case, spaces and `=` padding ignored) → bytes. */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error('the TOTP secret is not base32');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** The RFC 4226 HOTP value of `key` at `counter`, zero-padded to `digits`. */
export function hotp(key: Buffer, counter: number, digits = 6): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const hash = createHmac('sha1', key).update(message).digest();
  const offset = hash[hash.length - 1]! & 0x0f;
  const code = hash.readUInt32BE(offset) & 0x7fffffff;
  return String(code % 10 ** digits).padStart(digits, '0');
}

/** The 30-second step `nowMs` falls in. */
export function totpStep(nowMs: number): number {
  return Math.floor(nowMs / 1000 / STEP_SECONDS);
}

/** The TOTP of a base32 shared secret at `nowMs` (default: now). */
export function totp(base32Secret: string, nowMs = Date.now(), digits = 6): string {
  return hotp(base32Decode(base32Secret), totpStep(nowMs), digits);
}
