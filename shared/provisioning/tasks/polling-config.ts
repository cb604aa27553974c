import * as z from 'zod';
import { defineConfig } from '../../platform/config.js';
import { remainingMs } from '../../platform/deadline.js';

/** How long a polling task keeps checking before returning to the state machine's Wait state. */
export const pollingConfig = defineConfig(
  'polling',
  z.object({
    POLL_WITHIN_TASK_MS: z.coerce.number().int().min(0).max(45_000).default(20_000),
    POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(10_000).default(2_000),
  }),
);

/** Left for the last check and the writes after it when the window is cut to the invocation. */
const AFTER_WINDOW_MS = 12_000;

/** The polling window: as configured, but never longer than the invocation can spare. */
export const pollWindow = () => ({
  windowMs: Math.max(0, Math.min(pollingConfig().POLL_WITHIN_TASK_MS, remainingMs() - AFTER_WINDOW_MS)),
  intervalMs: pollingConfig().POLL_INTERVAL_MS,
});
