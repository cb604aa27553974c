import * as z from 'zod';
import { reconcileAttachRuns } from '../../shared/domains/attach-reconcile.js';
import { backgroundHandler } from '../../shared/platform/lambda/background-handler.js';
import { reconcileProvisioning } from '../../shared/provisioning/reconcile.js';

// EventBridge Scheduler target (every few minutes); locally POST /local/jobs/reconcile, whose
// optional `now` makes the job act as if it ran at that time. Projects first, then the custom
// domains of live projects.

const jobInput = z.object({ now: z.iso.datetime().optional() }).catch({});

export const handler = backgroundHandler('reconcile', async (event) => {
  const { now } = jobInput.parse(event ?? {});
  const at = now ? new Date(now) : new Date();
  return { ...(await reconcileProvisioning(at)), domains: await reconcileAttachRuns(at) };
});
