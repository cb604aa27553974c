import * as z from 'zod';
import { defineConfig } from '../platform/config.js';

export const checkoutConfig = defineConfig(
  'checkout',
  z.object({
    /** The web UI: Stripe sends the buyer back to `<WEB_APP_URL>/projects/<id>`; billing mails link there. */
    WEB_APP_URL: z.url(),
  }),
);

/** The project's page in the web UI (its billing: payment method, subscription, upgrade). */
export const projectPageUrl = (projectId: string): string =>
  `${checkoutConfig().WEB_APP_URL}/projects/${projectId}`;
