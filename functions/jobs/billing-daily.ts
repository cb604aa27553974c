import * as z from 'zod';
import { runBilling } from '../../shared/billing/billing-daily.js';
import { backgroundHandler } from '../../shared/platform/lambda/background-handler.js';

// EventBridge Scheduler target (hourly: the rules count days, but a payment that raced a running
// suspension should not wait a day for its resume); locally POST /local/jobs/billing-daily, whose
// optional `now` makes the job act as if it ran at that time (tests jump to a trial's or a grace's end).

const jobInput = z.object({ now: z.iso.datetime().optional() }).catch({});

export const handler = backgroundHandler('billing-daily', async (event) => {
  const { now } = jobInput.parse(event ?? {});
  return runBilling(now ? new Date(now) : new Date());
});
