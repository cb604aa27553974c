import * as z from 'zod';
import { defineConfig } from '../platform/config.js';
import type { BillingPolicy } from './billing-rules.js';

const days = z.coerce.number().int().min(0).max(365);

export const billingConfig = defineConfig(
  'billing',
  z.object({
    /** Days from a failed payment to the suspension (a final warning within the last one). */
    BILLING_GRACE_DAYS: days,
    /** Days a project stays suspended for non-payment before it is archived. */
    BILLING_ARCHIVE_AFTER_DAYS: days.min(1),
    /** "Trial ends in N days" reminders, comma-separated, e.g. "7,1". */
    TRIAL_REMINDER_DAYS: z
      .string()
      .regex(/^\d{1,3}(,\d{1,3})*$/, 'comma-separated whole days, e.g. "7,1"')
      .transform((s) => [...new Set(s.split(',').map(Number))]),
  }),
);

export function billingPolicy(): BillingPolicy {
  const c = billingConfig();
  return {
    graceDays: c.BILLING_GRACE_DAYS,
    archiveAfterDays: c.BILLING_ARCHIVE_AFTER_DAYS,
    trialReminderDays: c.TRIAL_REMINDER_DAYS,
  };
}
