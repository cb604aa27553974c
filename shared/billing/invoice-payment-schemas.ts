import * as z from 'zod';
import { LICENSE_STATUSES } from '../licensing/license.js';
import { isoTime } from '../licensing/schemas.js';
import { lifecycleResponse } from '../lifecycle/schemas.js';
import { singleLine } from '../platform/http/common-schemas.js';

// Staff mark an invoice paid (POST /v1/admin/projects/{id}/invoice-payments) and the answer.

export const invoicePaymentRequest = z.strictObject({
  /** The invoice number: one reference extends the licenses once. */
  reference: singleLine(1, 100),
  /** Paid up to then (each recurring license runs at least until then); default one billing cycle. */
  paidUntil: isoTime.optional(),
});

export const invoicePaymentView = z.object({
  projectId: z.uuid(),
  reference: z.string(),
  paidUntil: z.string().nullable(),
  recordedBy: z.string(),
  recordedAt: z.string(),
  /** What the payment extended (a repeat answers the same list: nothing extended twice). */
  licenses: z.array(
    z.object({
      plugin: z.string(),
      oldStatus: z.enum(LICENSE_STATUSES),
      newStatus: z.enum(LICENSE_STATUSES),
      oldExpiresAt: z.string().nullable(),
      newExpiresAt: z.string().nullable(),
    }),
  ),
  /** A suspended project: the resumption asked for (the same execution on a repeat). */
  resume: lifecycleResponse.nullable(),
  /** Why no resumption could be asked for now (e.g. another lifecycle flow under way). */
  resumeProblem: z.string().nullable(),
});
