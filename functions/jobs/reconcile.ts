import * as z from 'zod';
import { toTaskError } from '../../shared/errors.js';
import { reconcileProvisioning } from '../../shared/services/reconcile.js';

// EventBridge Scheduler target (every few minutes); locally POST /local/jobs/reconcile, whose
// optional `now` makes the job act as if it ran at that time.

const jobInput = z.object({ now: z.iso.datetime().optional() }).catch({});

export const handler = async (event: unknown) => {
  const { now } = jobInput.parse(event ?? {});
  try {
    return await reconcileProvisioning(now ? new Date(now) : new Date());
  } catch (err) {
    throw toTaskError(err);
  }
};
