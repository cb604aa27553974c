import * as z from 'zod';
import { email, idParam, singleLine } from '../platform/http/common-schemas.js';
import {
  CODE_PATTERN,
  DEFAULT_HOURS_VALID,
  MAX_HOURS_VALID,
  MIN_HOURS_VALID,
  TOKEN_PATTERN,
} from './preview-rules.js';

export const createPreviewAccessRequest = z.strictObject({
  email: email.optional(),
  name: singleLine(1, 200).optional(),
  hoursValid: z
    .number()
    .int({ error: 'must be a whole number of hours' })
    .min(MIN_HOURS_VALID, { error: `must be at least ${MIN_HOURS_VALID}` })
    .max(MAX_HOURS_VALID, { error: `must be at most ${MAX_HOURS_VALID} (30 days)` })
    .default(DEFAULT_HOURS_VALID),
  singleUse: z.boolean().default(false),
});

/** The only answer that carries the token and the code. */
export const createdPreviewAccessView = z.object({
  id: z.uuid(),
  token: z.string(),
  code: z.string(),
  magicLink: z.url(),
  expiresAt: z.string(),
  /** Whether the preview mail went out (only when `email` was given). */
  mailSent: z.boolean(),
});

/** An access as listed: never its token or code. */
export const previewAccessView = z.object({
  id: z.uuid(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  expiresAt: z.string(),
  singleUse: z.boolean(),
  uses: z.number().int(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  revokedBy: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
});

export const previewAccessParams = idParam.extend({ accessId: z.uuid({ error: 'must be a UUID' }) });

export const previewProtectionRequest = z.strictObject({ enabled: z.boolean() });

/** Exactly one of token and code, each in its exact shape (else 400, which is not a wrong try). */
export const verifyPreviewRequest = z
  .strictObject({
    token: z
      .string()
      .regex(TOKEN_PATTERN, { error: 'must be the 43-character token of a magic link' })
      .optional(),
    code: z.string().regex(CODE_PATTERN, { error: 'must be 6 digits' }).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.token !== undefined && body.code !== undefined)
      ctx.addIssue({ code: 'custom', path: ['code'], message: 'send either token or code, not both' });
    if (body.token === undefined && body.code === undefined)
      ctx.addIssue({ code: 'custom', path: ['token'], message: 'token or code is required' });
  });

export const verifyPreviewView = z.object({ valid: z.literal(true), expiresAt: z.string() });
