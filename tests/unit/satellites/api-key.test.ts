import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateApiKey, hashApiKey, looksLikeApiKey } from '../../../shared/satellites/api-key.js';

describe('generateApiKey', () => {
  it('makes a vrs_ key carrying 32 random bytes in base64url', () => {
    // Act
    const key = generateApiKey();

    // Assess
    expect(key).toMatch(/^vrs_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key.slice(4), 'base64url')).toHaveLength(32);
  });

  it('never hands out the same key twice', () => {
    // Act
    const keys = new Set(Array.from({ length: 200 }, generateApiKey));

    // Assess
    expect(keys.size).toBe(200);
  });

  it('makes keys that pass its own shape check', () => {
    // Act
    const keys = Array.from({ length: 20 }, generateApiKey);

    // Assess
    expect(keys.every(looksLikeApiKey)).toBe(true);
  });
});

describe('hashApiKey', () => {
  it('stores the SHA-256 of the key as lowercase hex', () => {
    // Prepare
    const key = 'vrs_Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmE';

    // Act
    const hash = hashApiKey(key);

    // Assess
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(createHash('sha256').update(key).digest('hex'));
  });

  it('matches the published SHA-256 test vector', () => {
    // Act
    const hash = hashApiKey('abc');

    // Assess
    expect(hash).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('gives different keys different hashes and the same key the same hash', () => {
    // Prepare
    const [a, b] = [generateApiKey(), generateApiKey()];

    // Act & Assess
    expect(hashApiKey(a)).toBe(hashApiKey(a));
    expect(hashApiKey(a)).not.toBe(hashApiKey(b));
  });
});

describe('looksLikeApiKey', () => {
  it.each([
    ['without the vrs_ prefix', 'Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4'],
    ['too short to hold 32 bytes', 'vrs_Zm9vYmFy'],
    ['absurdly long', `vrs_${'a'.repeat(97)}`],
    ['a bearer token', 'Bearer eyJraWQiOiJ0ZXN0LWtleSIsImFsZyI6IlJTMjU2In0'],
    ['empty', ''],
  ])('rejects a value %s', (_what, value) => {
    // Act
    const plausible = looksLikeApiKey(value);

    // Assess
    expect(plausible).toBe(false);
  });

  it('accepts the shortest and the longest plausible key', () => {
    // Act
    const shortest = looksLikeApiKey(`vrs_${'a'.repeat(40)}`);
    const longest = looksLikeApiKey(`vrs_${'a'.repeat(96)}`);

    // Assess
    expect(shortest).toBe(true);
    expect(longest).toBe(true);
  });
});
