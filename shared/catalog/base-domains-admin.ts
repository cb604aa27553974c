import type { z } from 'zod';
import { ConflictError, NotFoundError } from '../platform/errors.js';
import type { Caller } from '../platform/http/auth.js';
import { type BaseDomainPlan, planAddBaseDomain, planChangeBaseDomain } from './base-domain-rules.js';
import type {
  addBaseDomainRequest,
  adminBaseDomainView,
  changeBaseDomainRequest,
} from './base-domain-schemas.js';
import { writeBaseDomains } from './base-domains-table.js';
import { type BaseDomain, getBaseDomain, listBaseDomains } from './catalog-table.js';

// Admins add base domains, deactivate them and choose the default (POST/PATCH /v1/admin/base-domains).
// A deactivated one is no longer offered (GET /v1/base-domains) or accepted in new orders; projects
// on it keep their subdomains.

const toView = (d: BaseDomain): z.infer<typeof adminBaseDomainView> => ({
  domain: d.domain,
  displayName: d.displayName,
  isDefault: d.isDefault,
  isActive: d.isActive,
});

function writesOf(plan: BaseDomainPlan) {
  if ('conflicts' in plan)
    throw new ConflictError(plan.conflicts.map((c) => c.message).join('; '), plan.conflicts);
  return plan.writes;
}

const changedMeanwhile = () =>
  new ConflictError('The base domains changed meanwhile; read them again and retry.', []);

export async function addBaseDomain(caller: Caller, req: z.infer<typeof addBaseDomainRequest>) {
  const all = await listBaseDomains();
  const writes = writesOf(planAddBaseDomain(all, req.domain, req.isDefault ?? false));
  const sortOrder = Math.max(0, ...all.map((d) => d.sortOrder)) + 1;
  if (!(await writeBaseDomains(writes, { displayName: req.displayName, sortOrder }, caller.email)))
    throw changedMeanwhile();
  return toView((await getBaseDomain(req.domain))!);
}

export async function changeBaseDomain(
  caller: Caller,
  domain: string,
  change: z.infer<typeof changeBaseDomainRequest>,
) {
  const all = await listBaseDomains();
  const target = all.find((d) => d.domain === domain);
  if (!target) throw new NotFoundError(`Base domain ${domain} not found.`);
  const writes = writesOf(planChangeBaseDomain(all, target, change));
  if (!(await writeBaseDomains(writes, undefined, caller.email))) throw changedMeanwhile();
  return toView((await getBaseDomain(domain))!);
}
