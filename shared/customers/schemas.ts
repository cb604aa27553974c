import * as z from 'zod';
import { email, singleLine } from '../platform/http/common-schemas.js';

// The customer profile (contract: GET/PUT /v1/me). It feeds the Stripe customer and the holder of
// domains we register for the customer.

const address = z.strictObject({
  street: singleLine(3, 200),
  postalCode: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 -]{1,11}$/, { error: 'must be a postal code' }),
  city: singleLine(1, 100),
  countryCode: z
    .string()
    .regex(/^[A-Za-z]{2}$/, { error: 'must be a two-letter country code like DE' })
    .transform((c) => c.toUpperCase()),
});

export const putProfileRequest = z.strictObject({
  name: singleLine(1, 200),
  company: singleLine(1, 200).nullish(),
  address: address.nullish(),
  phone: z
    .string()
    .regex(/^\+[1-9][0-9 ./()-]{4,24}$/, { error: 'must be an international number like +49 30 1234567' })
    .nullish(),
  locale: z.enum(['de', 'en']).default('de'),
});
export type PutProfileRequest = z.infer<typeof putProfileRequest>;

export const profileView = z.object({
  email: z.string(),
  name: z.string().nullable(),
  company: z.string().nullable(),
  address: z
    .object({ street: z.string(), postalCode: z.string(), city: z.string(), countryCode: z.string() })
    .nullable(),
  phone: z.string().nullable(),
  locale: z.enum(['de', 'en']),
  /** Staff cleared this customer to pay by invoice (read-only here). */
  invoiceAllowed: z.boolean(),
});

/** As staff see a customer: who cleared invoices, and when. */
export const staffCustomerView = profileView.extend({
  invoiceAllowedBy: z.string().nullable(),
  invoiceAllowedAt: z.string().nullable(),
});

export const customerEmailParam = z.object({ email: email });
export const putCustomerRequest = z.strictObject({ invoiceAllowed: z.boolean() });
