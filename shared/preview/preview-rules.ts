import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';

// Preview protection: who may look at a protected (demo) site before it is public. Staff hand out
// an access — a magic link carrying a token, and a 6-digit code to type in — and the satellite
// asks us whether what a visitor brought is valid (POST /v1/projects/{id}/preview/verify).
// Pure rules only: formats, hashes, validity, the brute-force lock window.

/** 32 random bytes as base64url without padding: exactly 43 characters. */
export const TOKEN_BYTES = 32;
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
export const CODE_PATTERN = /^[0-9]{6}$/;

export const DEFAULT_HOURS_VALID = 48;
export const MIN_HOURS_VALID = 1;
/** 30 days: a preview is for a look before a decision, not a standing login. */
export const MAX_HOURS_VALID = 720;

/** Wrong tries per project and window before every try is refused (429) until the window passes. */
export const LOCK_MAX_FAILURES = 10;
export const LOCK_WINDOW_MS = 15 * 60 * 1000;

/** The query parameter of the magic link; the satellite reads it on any page. */
export const PREVIEW_QUERY_PARAMETER = 'vrs_preview';

/** What a satellite sends while protection is on (config field `robotsTag`). */
export const PROTECTED_ROBOTS_TAG = 'noindex, nofollow';

export function generatePreviewToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** Six digits, leading zeros kept, uniformly from 000000..999999. */
export function generatePreviewCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** A fast hash is enough for the token: it has 256 bits of entropy. */
export function hashPreviewToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * A code has only 10^6 values, so a plain hash would give it away to anyone holding a copy of the
 * table. It is keyed with a server secret (never stored in the table) and bound to its project, so
 * the same digits of another project never match.
 */
export function hashPreviewCode(key: string, projectId: string, code: string): string {
  return createHmac('sha256', key).update(`${projectId}:${code}`, 'utf8').digest('hex');
}

export function previewExpiry(now: Date, hoursValid: number): string {
  return new Date(now.getTime() + hoursValid * 3_600_000).toISOString();
}

/** The magic link on the project's primary domain; the satellite strips the parameter after use. */
export function magicLink(primaryDomain: string, token: string): string {
  return `https://${primaryDomain}/?${PREVIEW_QUERY_PARAMETER}=${token}`;
}

export interface AccessState {
  expiresAt: string;
  singleUse: boolean;
  uses: number;
  revokedAt?: string | null;
}

export type AccessValidity = 'valid' | 'expired' | 'revoked' | 'used';

/** Whether an access opens the preview now (the write that counts the use states the same). */
export function accessValidity(a: AccessState, now: Date): AccessValidity {
  if (a.revokedAt) return 'revoked';
  if (Date.parse(a.expiresAt) <= now.getTime()) return 'expired';
  if (a.singleUse && a.uses > 0) return 'used';
  return 'valid';
}

export interface LockCounter {
  /** When the window of the current count began (the first try counted since the count was 0). */
  windowStartsAt: string;
  /** Tries counted in the window: wrong ones, and ones still being checked. */
  failures: number;
}

/** The start of windows that are over at `now`: a counter whose window began at or before it counts nothing. */
export function lockCutoff(now: Date): string {
  return new Date(now.getTime() - LOCK_WINDOW_MS).toISOString();
}

/** Until when the project's previews are locked, or undefined when a try may be made. */
export function lockedUntil(counter: LockCounter | undefined, now: Date): string | undefined {
  if (!counter || counter.windowStartsAt <= lockCutoff(now)) return undefined;
  if (counter.failures < LOCK_MAX_FAILURES) return undefined;
  return new Date(Date.parse(counter.windowStartsAt) + LOCK_WINDOW_MS).toISOString();
}
