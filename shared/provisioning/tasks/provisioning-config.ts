import * as z from 'zod';
import { defineConfig } from '../../platform/config.js';

export const provisioningConfig = defineConfig(
  'provisioning',
  z.object({
    /** Public URL of this API, handed to satellites as VRS_MARKETPLACE_URL. */
    MARKETPLACE_URL: z.url(),
    /** Where a satellite's health endpoint is, `{domain}` replaced by its primary domain. */
    HEALTH_CHECK_URL_TEMPLATE: z.string().includes('{domain}').default('https://{domain}/health'),
    HEALTH_CHECK_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(5_000),
  }),
);
