import * as z from 'zod';
import { backgroundHandler } from '../../shared/platform/lambda/background-handler.js';
import { reconcileProvisioning } from '../../shared/provisioning/reconcile.js';

// EventBridge Scheduler target (every few minutes); locally POST /local/jobs/reconcile, whose
// optional `now` makes the job act as if it ran at that time.

const jobInput = z.object({ now: z.iso.datetime().optional() }).catch({});

export const handler = backgroundHandler('reconcile', async (event) => {
  const { now } = jobInput.parse(event ?? {});
  return reconcileProvisioning(now ? new Date(now) : new Date());
});
