import { ConflictError } from '../platform/errors.js';
import type { Caller } from '../platform/http/auth.js';
import { addDomainToProject, getDomain } from '../projects/domains-table.js';
import { loadProjectForCaller, toDomainView } from '../projects/project-views.js';
import type { ProjectDomain } from '../projects/projects-table.js';
import type { CustomOrderDomain } from '../projects/schemas.js';
import { ensureAttachRunning } from './attach-runs.js';
import { CUSTOM_DOMAIN_TYPE, checkCustomDomain, customDomainItem } from './custom-domain-order.js';

// The domains of a live project (contract: "Domains of a project", owner or staff): add one, or give
// a failed transfer a new auth code (choosing the primary domain: primary-domain.ts). Each is attached by its own
// attach-domain execution; the project stays live on its other domains meanwhile.

export async function addProjectDomain(caller: Caller, projectId: string, order: CustomOrderDomain) {
  const { project } = await loadProjectForCaller(caller, projectId);
  if (project.status === 'archived') throw new ConflictError('An archived project takes no new domains.');
  const existing = await getDomain(projectId, order.domain.ascii);
  if (existing) return addedBefore(project.status, existing, order);
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

/**
 * The same domain sent again — typically a retry after an answer that was lost, or a 503 after the
 * domain was stored — is the same request: its attach flow is made sure of. Anything else about a
 * domain the project has already is a conflict saying so.
 */
async function addedBefore(projectStatus: string, existing: ProjectDomain, order: CustomOrderDomain) {
  const pending = ['pending_registration', 'pending_transfer', 'pending_dns'].includes(existing.status);
  if (pending && existing.type === CUSTOM_DOMAIN_TYPE[order.type]) {
    if (projectStatus === 'active') await ensureAttachRunning(existing);
    return { domain: toDomainView(existing) };
  }
  throw new ConflictError(
    `${order.domain.unicode} is already a domain of this project (${existing.status}).`,
    [{ path: 'domain', message: `already a domain of this project (${existing.type}, ${existing.status})` }],
  );
}
