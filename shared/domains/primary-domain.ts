import { ConflictError } from '../platform/errors.js';
import type { Caller } from '../platform/http/auth.js';
import { makePrimary, updateDomain } from '../projects/domains-table.js';
import { loadProjectForCaller, loadProjectParts, toProjectView } from '../projects/project-views.js';
import { requireNamedDomain } from './domain-lookup.js';
import type { DomainName } from './domain-name.js';

// Choosing a project's primary domain (contract: POST …/domains/{domain}/primary): the address its
// satellite and mails use. The Coolify application serves every live domain of the project, so
// switching needs no redeploy; the old primary stays an alias.

/**
 * Makes a domain the primary one: at once when it is live (the old one stays an alias), else as
 * soon as it is (demo subdomain → own domain while the transfer runs).
 */
export async function choosePrimaryDomain(caller: Caller, projectId: string, name: DomainName) {
  await loadProjectForCaller(caller, projectId);
  const d = await requireNamedDomain(projectId, name);
  if (d.status === 'failed' || d.status === 'removed' || d.status === 'expired' || d.status === 'suspended') {
    throw new ConflictError(`${name.unicode} is ${d.status} and cannot be the primary domain.`);
  }
  if (d.status === 'active') {
    if (!d.isPrimary) {
      const done = await makePrimary(projectId, d.domain, {
        action: 'primary_domain_changed',
        message: `${name.unicode} is now the primary domain (chosen by ${caller.email})`,
        triggeredBy: caller.email,
      });
      if (!done) throw new ConflictError(`${name.unicode} changed meanwhile; look at it again.`);
    }
  } else {
    await updateDomain(projectId, d.domain, {
      fields: { wantsPrimary: true },
      log: {
        action: 'primary_domain_chosen',
        message: `${name.unicode} becomes the primary domain once it is live (chosen by ${caller.email})`,
        triggeredBy: caller.email,
      },
    });
  }
  return toProjectView(await loadProjectParts(projectId));
}
