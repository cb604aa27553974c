import * as z from 'zod';
import { parseDomainName } from '../domains/domain-name.js';
import { email } from '../platform/http/common-schemas.js';
import { PROJECT_STATUSES } from './project-status.js';
import { DOMAIN_STATUSES, DOMAIN_TYPES, staffProjectView } from './schemas.js';

// GET /v1/admin/projects: one filter, each served by an index (admin-project-lists.ts). Unknown
// parameters are refused by name (strictObject), so a typo never lists something else.

export const adminProjectsQuery = z
  .strictObject({
    status: z.enum(PROJECT_STATUSES).optional(),
    owner: email.optional(),
    server: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, { error: 'must be a server id' })
      .optional(),
    domain: z
      .string()
      .max(253)
      .transform((s, ctx) => {
        const parsed = parseDomainName(s.toLowerCase());
        if ('problem' in parsed) {
          ctx.addIssue({ code: 'custom', message: parsed.problem });
          return z.NEVER;
        }
        return parsed.name.ascii;
      })
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(2000).optional(),
  })
  .superRefine((q, ctx) => {
    const given = (['status', 'owner', 'server', 'domain'] as const).filter((k) => q[k] !== undefined);
    // owner + status is one index read with a filter (an owner has few projects); others combine
    // two indexes, which no single query serves.
    const combinable = given.length <= 1 || (given.length === 2 && q.owner && q.status);
    if (given.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['status'],
        message: 'give one filter: status, owner, server or domain (owner may be combined with status)',
      });
    } else if (!combinable) {
      for (const k of given)
        ctx.addIssue({
          code: 'custom',
          path: [k],
          message: 'filters combine only as owner with status; give one of status, owner, server, domain',
        });
    }
  });
export type AdminProjectsQuery = z.infer<typeof adminProjectsQuery>;

const execution = z
  .object({
    executionArn: z.string(),
    /** As Step Functions reports it now (RUNNING, SUCCEEDED, FAILED, …); null if it does not exist (any more). */
    status: z.string().nullable(),
    redriveCount: z.number().int(),
    error: z.string().nullable(),
    cause: z.string().nullable(),
  })
  .nullable();

/** GET /v1/admin/projects/{id}: the staff view plus the references staff need to find things elsewhere. */
export const adminProjectDetails = staffProjectView.extend({
  server: z
    .object({ id: z.string(), name: z.string(), coolifyUuid: z.string(), ipAddress: z.string() })
    .nullable(),
  coolify: z.object({
    projectUuid: z.string().nullable(),
    environmentUuid: z.string().nullable(),
    applicationUuid: z.string().nullable(),
    deploymentUuid: z.string().nullable(),
  }),
  /** Every domain with its INWX ids (removed ones too). */
  inwx: z.array(
    z.object({
      domain: z.string(),
      type: z.enum(DOMAIN_TYPES),
      status: z.enum(DOMAIN_STATUSES),
      inwxDomainId: z.number().nullable(),
      inwxZoneId: z.number().nullable(),
      inwxRecordIds: z.record(z.string(), z.number()),
    }),
  ),
  /** The provisioning execution and the open lifecycle request's, as Step Functions sees them now. */
  execution,
  lifecycleExecution: execution,
});
