import { describe, expect, it } from 'vitest';
import {
  accessValidity,
  CODE_PATTERN,
  generatePreviewCode,
  generatePreviewToken,
  hashPreviewCode,
  hashPreviewToken,
  LOCK_MAX_FAILURES,
  lockedUntil,
  magicLink,
  previewExpiry,
  TOKEN_PATTERN,
} from '../../../shared/preview/preview-rules.js';
import { verifyPreviewRequest } from '../../../shared/preview/schemas.js';

const NOW = new Date('2026-03-10T12:00:00.000Z');
const PROJECT = '6f1c2b9e-1d2a-4c3b-9e8f-0a1b2c3d4e5f';
const OTHER = '0b7e6c1a-2d3f-4a5b-8c9d-0e1f2a3b4c5d';

describe('tokens and codes', () => {
  it('draws a 43-character base64url token (32 bytes) and a 6-digit code, each new every time', () => {
    const tokens = new Set(Array.from({ length: 50 }, generatePreviewToken));
    expect(tokens.size).toBe(50);
    for (const t of tokens) {
      expect(t).toMatch(TOKEN_PATTERN);
      expect(Buffer.from(t, 'base64url')).toHaveLength(32);
    }
    for (let i = 0; i < 200; i++) expect(generatePreviewCode()).toMatch(CODE_PATTERN);
  });

  it('hashes a token with SHA-256 and a code with a key, bound to its project', () => {
    expect(hashPreviewToken('abc')).toMatch(/^[0-9a-f]{64}$/);
    const h = hashPreviewCode('k'.repeat(32), PROJECT, '012345');
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(hashPreviewCode('k'.repeat(32), PROJECT, '012345')).toBe(h);
    expect(hashPreviewCode('k'.repeat(32), OTHER, '012345')).not.toBe(h);
    expect(hashPreviewCode('x'.repeat(32), PROJECT, '012345')).not.toBe(h);
  });

  it('builds the magic link on the primary domain and the expiry from hours', () => {
    expect(magicLink('mueller.vrs.gmbh', 'T0k')).toBe('https://mueller.vrs.gmbh/?vrs_preview=T0k');
    expect(previewExpiry(NOW, 48)).toBe('2026-03-12T12:00:00.000Z');
  });
});

describe('validity of an access', () => {
  const access = { expiresAt: '2026-03-11T12:00:00.000Z', singleUse: false, uses: 3 };
  it('is valid until it expires, is revoked, or (single use) was used once', () => {
    expect(accessValidity(access, NOW)).toBe('valid');
    expect(accessValidity(access, new Date('2026-03-11T12:00:00.000Z'))).toBe('expired');
    expect(accessValidity({ ...access, revokedAt: '2026-03-10T11:00:00.000Z' }, NOW)).toBe('revoked');
    expect(accessValidity({ ...access, singleUse: true, uses: 0 }, NOW)).toBe('valid');
    expect(accessValidity({ ...access, singleUse: true, uses: 1 }, NOW)).toBe('used');
  });
});

describe('the brute-force lock', () => {
  const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();
  it('locks at 10 counted tries within the window, until the window that began with the first is over', () => {
    expect(lockedUntil(undefined, NOW)).toBeUndefined();
    expect(
      lockedUntil({ windowStartsAt: minutesAgo(5), failures: LOCK_MAX_FAILURES - 1 }, NOW),
    ).toBeUndefined();
    expect(lockedUntil({ windowStartsAt: minutesAgo(5), failures: LOCK_MAX_FAILURES }, NOW)).toBe(
      '2026-03-10T12:10:00.000Z',
    );
    expect(lockedUntil({ windowStartsAt: minutesAgo(15), failures: 50 }, NOW)).toBeUndefined();
  });
});

describe('a verify request', () => {
  const token = generatePreviewToken();
  const fields = (body: unknown) => {
    const out = verifyPreviewRequest.safeParse(body);
    return out.success ? [] : out.error.issues.map((i) => i.path.join('.'));
  };
  it('takes exactly one well-formed token or code, naming the field otherwise', () => {
    expect(fields({ token })).toEqual([]);
    expect(fields({ code: '000123' })).toEqual([]);
    expect(fields({})).toEqual(['token']);
    expect(fields({ token, code: '123456' })).toEqual(['code']);
    expect(fields({ code: '12345' })).toEqual(['code']);
    expect(fields({ code: '12345a' })).toEqual(['code']);
    expect(fields({ code: 123456 })).toEqual(['code']);
    expect(fields({ token: `${token}x` })).toEqual(['token']);
    expect(fields({ token: `${token.slice(1)}+` })).toEqual(['token']);
  });
});
