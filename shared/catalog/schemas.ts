import * as z from 'zod';
import { domainNameInput } from '../domains/schemas.js';
import { code } from '../platform/http/common-schemas.js';
import { BILLING_CYCLES } from './pricing.js';

export const projectTypeView = z.object({
  code: z.string(),
  name: z.string(),
  hasTrial: z.boolean(),
  trialDays: z.number().int(),
});

export const bundleView = z.object({
  code: z.string(),
  name: z.string(),
  projectType: z.string(),
  plugins: z.array(z.string()),
  billingCycle: z.enum(BILLING_CYCLES),
  discountPercent: z.number().int(),
  priceCents: z.number().int(),
});

export const pluginView = z.object({
  name: z.string(),
  displayName: z.string(),
  description: z.string(),
  latestVersion: z.string().nullable(),
  /** Plugins this one needs; ordering it licenses them too. */
  requires: z.array(z.string()),
});

export const baseDomainView = z.object({
  domain: z.string(),
  displayName: z.string(),
  isDefault: z.boolean(),
});

export const bundlesQuery = z.object({ projectType: code.optional() });

export const availabilityQuery = z.object({ domain: domainNameInput });
export const availabilityView = z.object({
  /** In Unicode. */
  domain: z.string(),
  /** In punycode, as registries and DNS know it. */
  asciiDomain: z.string(),
  available: z.boolean(),
  /** Our price to register it for a year, when it is available (0 for a subdomain of ours). */
  priceCents: z.number().int().nullable(),
  /** Our price to transfer it in, when it is registered elsewhere. */
  transferPriceCents: z.number().int().nullable(),
});
