import { ConflictError } from '../platform/errors.js';
import type { Caller } from '../platform/http/auth.js';
import { addDomainToProject } from '../projects/domains-table.js';
import { loadProjectForCaller, toDomainView } from '../projects/project-views.js';
import type { CustomOrderDomain } from '../projects/schemas.js';
import { ensureAttachRunning } from './attach-runs.js';
import { checkCustomDomain, customDomainItem } from './custom-domain-order.js';

// The domains of a live project (contract: "Domains of a project", owner or staff): add one, or give
// a failed transfer a new auth code (choosing the primary domain: primary-domain.ts). Each is attached by its own
// attach-domain execution; the project stays live on its other domains meanwhile.

export async function addProjectDomain(caller: Caller, projectId: string, order: CustomOrderDomain) {
  const { project } = await loadProjectForCaller(caller, projectId);
  if (project.status === 'archived') throw new ConflictError('An archived project takes no new domains.');
  const { priceCents } = await checkCustomDomain(order);
  const item = {
    ...(await customDomainItem(projectId, order, priceCents, new Date().toISOString())),
    wantsPrimary: false,
  };
  const outcome = await addDomainToProject(item, {
    action: 'domain_added',
    message: `${order.domain.unicode} added (${item.type}) by ${caller.email}`,
    triggeredBy: caller.email,
  });
  if (outcome === 'taken') {
    throw new ConflictError(`The domain ${order.domain.unicode} belongs to another project.`, [
      { path: 'domain', message: 'already taken' },
    ]);
  }
  // A project still being provisioned attaches it when it goes live (ActivateProject).
  if (project.status === 'active') await ensureAttachRunning(item);
  return { domain: toDomainView(item) };
}
