import * as z from 'zod';
import { defineConfig } from '../../config.js';

/** How long a polling task keeps checking before returning to the state machine's Wait state. */
export const pollingConfig = defineConfig(
  'polling',
  z.object({
    POLL_WITHIN_TASK_MS: z.coerce.number().int().min(0).max(45_000).default(20_000),
    POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(10_000).default(2_000),
  }),
);

export const pollWindow = () => ({
  windowMs: pollingConfig().POLL_WITHIN_TASK_MS,
  intervalMs: pollingConfig().POLL_INTERVAL_MS,
});
