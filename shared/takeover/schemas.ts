import * as z from 'zod';
import { email } from '../platform/http/common-schemas.js';
import { addDomainRequest, PAYMENT_METHODS, staffProjectView } from '../projects/schemas.js';

// A demo's takeover (contract: POST /v1/admin/projects/{id}/takeover) and its answer.

export const takeoverRequest = z.strictObject({
  /** The customer who takes the project over (its new owner). */
  ownerEmail: email,
  paymentMethod: z.enum(PAYMENT_METHODS),
  /** Where invoices and billing mails go; the new owner's address when absent. */
  billingEmail: email.optional(),
  locale: z.enum(['de', 'en']).optional(),
  /** The customer's own domain: registered, transferred or owned, as when adding a domain. */
  domain: addDomainRequest.optional(),
});
export type TakeoverRequest = z.infer<typeof takeoverRequest>;

export const takeoverResponse = z.object({
  project: staffProjectView,
  /** Card payments: where the customer pays; the takeover runs once it is paid. Null otherwise. */
  checkoutUrl: z.string().nullable(),
});
