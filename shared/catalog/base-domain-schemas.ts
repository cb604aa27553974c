import * as z from 'zod';
import { domainName, singleLine } from '../platform/http/common-schemas.js';

export const baseDomainParam = z.object({ domain: domainName });

export const addBaseDomainRequest = z.strictObject({
  domain: domainName,
  displayName: singleLine(1, 100),
  isDefault: z.boolean().optional(),
});

export const changeBaseDomainRequest = z
  .strictObject({ isActive: z.boolean().optional(), isDefault: z.boolean().optional() })
  .refine((b) => b.isActive !== undefined || b.isDefault !== undefined, {
    error: 'give isActive or isDefault',
  });

export const adminBaseDomainView = z.object({
  domain: z.string(),
  displayName: z.string(),
  isDefault: z.boolean(),
  isActive: z.boolean(),
});
