import * as z from 'zod';
import { ConflictError, NotFoundError } from '../../platform/errors.js';
import type { Project } from '../../projects/projects-table.js';

// What the attach-domain flow passes between its tasks: the project and the domain (punycode).

export const attachInput = z.object({
  projectId: z.uuid(),
  domain: z.string().min(4).max(253),
});
export type AttachInput = z.infer<typeof attachInput>;

export { requireDomain, shown } from '../domain-lookup.js';

/**
 * DNS and the application change only for a live project: a suspended one stays offline and an
 * archived one gets no records again. The attach execution fails here for staff, who redrive it
 * once the project is resumed.
 */
export function requireActiveProject(project: Project | undefined, projectId: string): Project {
  if (!project) throw new NotFoundError(`Project ${projectId} not found.`);
  if (project.status !== 'active') {
    throw new ConflictError(
      `Project ${projectId} is "${project.status}": a domain is attached only while the project is active (resume it, then redrive).`,
    );
  }
  return project;
}
