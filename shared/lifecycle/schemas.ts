import * as z from 'zod';
import { singleLine } from '../platform/http/common-schemas.js';
import { PROJECT_STATUSES } from '../projects/project-status.js';
import { LIFECYCLE_ACTIONS } from './lifecycle-rules.js';

// Staff's lifecycle requests (POST /v1/admin/projects/{id}/suspend | resume | archive) and the answer.

/** Shown to the owner (mail) and staff (project, log, license history). */
const reason = singleLine(1, 500);

export const suspendRequest = z.strictObject({ reason });

/** The body is optional; a reason is passed on to the owner's mail. */
export const resumeRequest = z.strictObject({ reason: reason.optional() }).optional();

export const archiveRequest = z.strictObject({
  reason,
  /** Custom domains (Unicode or punycode) to keep registered: not set to expire, not marked removed. */
  keepDomains: z.array(singleLine(1, 253)).max(50).optional(),
});

export const lifecycleResponse = z.object({
  projectId: z.uuid(),
  action: z.enum(LIFECYCLE_ACTIONS),
  /** The project's status now: it changes when the execution gets there (suspended, active, archived). */
  status: z.enum(PROJECT_STATUSES),
  /** The execution carrying the request out (a repeated request answers the same one). */
  executionArn: z.string(),
});
