import { NotFoundError } from '../platform/errors.js';
import { getDomain } from '../projects/domains-table.js';
import type { ProjectDomain } from '../projects/projects-table.js';
import type { DomainName } from './domain-name.js';

// Finding a project's domain, and how to name it to people.

/** The domain as people read it (Unicode for IDNs). */
export const shown = (d: ProjectDomain) => d.unicode ?? d.domain;

/** The project's domain (punycode name), whatever its status; 404 when it has none of that name. */
export async function requireDomain(projectId: string, domain: string): Promise<ProjectDomain> {
  const found = await getDomain(projectId, domain);
  if (!found) throw new NotFoundError(`Project ${projectId} has no domain ${domain}.`);
  return found;
}

/** A domain a caller named: a removed one counts as none (404). */
export async function requireNamedDomain(projectId: string, name: DomainName): Promise<ProjectDomain> {
  const d = await getDomain(projectId, name.ascii);
  if (!d || d.status === 'removed')
    throw new NotFoundError(`Project ${projectId} has no domain ${name.unicode}.`);
  return d;
}
