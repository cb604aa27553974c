import * as z from 'zod';
import { NotFoundError } from '../../platform/errors.js';
import { getDomain } from '../../projects/domains-table.js';
import type { ProjectDomain } from '../../projects/projects-table.js';

// What the attach-domain flow passes between its tasks: the project and the domain (punycode).

export const attachInput = z.object({
  projectId: z.uuid(),
  domain: z.string().min(4).max(253),
});
export type AttachInput = z.infer<typeof attachInput>;

export async function requireDomain(projectId: string, domain: string): Promise<ProjectDomain> {
  const found = await getDomain(projectId, domain);
  if (!found) throw new NotFoundError(`Project ${projectId} has no domain ${domain}.`);
  return found;
}

/** The domain as people read it (Unicode for IDNs). */
export const shown = (d: ProjectDomain) => d.unicode ?? d.domain;
