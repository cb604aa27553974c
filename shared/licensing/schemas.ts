import * as z from 'zod';
import { BILLING_CYCLES } from '../catalog/pricing.js';
import { pluginName, singleLine } from '../platform/http/common-schemas.js';
import { LICENSE_STATUSES } from './license.js';
import { STAFF_LICENSE_ACTIONS } from './license-changes.js';

// Staff's license changes (PUT /v1/admin/projects/{id}/licenses/{plugin}) and a license's history.

export const licenseParams = z.object({
  id: z.uuid({ error: 'must be a UUID' }),
  plugin: pluginName,
});

/** An ISO-8601 time; an offset is accepted and stored as UTC. */
export const isoTime = z.iso.datetime({
  offset: true,
  error: 'must be an ISO-8601 time such as 2026-01-31T00:00:00Z',
});

/** Recorded in the license history and the project log (staff's words). */
const reason = singleLine(1, 500);

export const licenseChangeRequest = z
  .strictObject({
    action: z.enum(STAFF_LICENSE_ACTIONS),
    /** activate: active until then; extend: the new expiry (default: one billing cycle on). */
    until: isoTime.optional(),
    reason,
  })
  // Checked even when other fields are invalid, so one answer names every invalid field.
  .check((ctx) => {
    const body = ctx.value as { action?: unknown; until?: unknown };
    if (body.action === 'suspend' && body.until !== undefined) {
      ctx.issues.push({
        code: 'custom',
        path: ['until'],
        message: 'only with action activate or extend',
        input: body.until,
      });
    }
  });

export const licenseView = z.object({
  plugin: z.string(),
  status: z.enum(LICENSE_STATUSES),
  billingCycle: z.enum(BILLING_CYCLES),
  expiresAt: z.string().nullable(),
});

export const licenseHistoryView = z.object({
  plugin: z.string(),
  action: z.string(),
  oldStatus: z.enum(LICENSE_STATUSES).nullable(),
  newStatus: z.enum(LICENSE_STATUSES),
  /** Null for a license that never expires, and in entries from before expiries were recorded. */
  oldExpiresAt: z.string().nullable(),
  newExpiresAt: z.string().nullable(),
  /** Who: a staff e-mail, `stripe` or `system`. */
  triggeredBy: z.string(),
  reason: z.string().nullable(),
  /** The invoice reference of a paid invoice. */
  reference: z.string().nullable(),
  createdAt: z.string(),
});
