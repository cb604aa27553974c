import * as z from 'zod';
import { defineConfig } from '../platform/config.js';

export const externalTimeout = defineConfig(
  'external timeout',
  z.object({ EXTERNAL_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000) }),
);
