import * as z from 'zod';
import { defineConfig } from '../platform/config.js';

export const checkoutConfig = defineConfig(
  'checkout',
  z.object({
    /** The web UI: Stripe sends the buyer back to `<WEB_APP_URL>/projects/<id>` after checkout. */
    WEB_APP_URL: z.url(),
  }),
);
