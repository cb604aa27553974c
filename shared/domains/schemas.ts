import * as z from 'zod';
import { email, singleLine } from '../platform/http/common-schemas.js';
import { type DomainName, parseDomainName } from './domain-name.js';

/** A domain name as customers type it (Unicode or punycode), parsed into both forms. */
export const domainNameInput = z
  .string({ error: 'must be a domain name like example.de' })
  .max(300, { error: 'must be at most 253 characters long' })
  .transform((input, ctx): DomainName => {
    const parsed = parseDomainName(input);
    if ('name' in parsed) return parsed.name;
    ctx.addIssue({ code: 'custom', message: parsed.problem });
    return z.NEVER;
  });

export const tldParam = z.object({
  tld: z
    .string()
    .transform((s) => s.trim().toLowerCase().replace(/^\./, ''))
    .pipe(
      z.string().regex(/^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/, { error: 'must be a TLD like de or com' }),
    ),
});

export const tldPriceView = z.object({
  tld: z.string(),
  registerCents: z.number().int(),
  renewCents: z.number().int(),
  transferCents: z.number().int(),
  isActive: z.boolean(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});

const cents = z.number({ error: 'must be an amount in cents' }).int().min(0).max(10_000_000);
export const putTldPriceRequest = z.strictObject({
  registerCents: cents,
  renewCents: cents,
  transferCents: cents,
  isActive: z.boolean().default(true),
});

/** The holder of a domain we register: the customer (never us); INWX makes a contact handle of it. */
export const contactInput = z.strictObject({
  firstName: singleLine(1, 100),
  lastName: singleLine(1, 100),
  organization: singleLine(1, 200).optional(),
  street: singleLine(3, 200),
  city: singleLine(1, 100),
  postalCode: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 -]{1,11}$/, { error: 'must be a postal code' }),
  countryCode: z
    .string()
    .regex(/^[A-Za-z]{2}$/, { error: 'must be a two-letter country code like DE' })
    .transform((c) => c.toUpperCase()),
  email,
  phone: z
    .string()
    .regex(/^\+[1-9][0-9 ./()-]{4,24}$/, { error: 'must be an international number like +49 30 1234567' }),
});
export type Contact = z.infer<typeof contactInput>;
