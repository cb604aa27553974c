import * as z from 'zod';
import { syncDomains } from '../../shared/domains/domain-sync.js';
import { backgroundHandler } from '../../shared/platform/lambda/background-handler.js';

// EventBridge Scheduler target (every few minutes); locally POST /local/jobs/domain-sync, whose
// optional `now` makes the job act as if it ran at that time (its daily part goes by that day).

const jobInput = z.object({ now: z.iso.datetime().optional() }).catch({});

export const handler = backgroundHandler('domain-sync', async (event) => {
  const { now } = jobInput.parse(event ?? {});
  return syncDomains(now ? new Date(now) : new Date());
});
