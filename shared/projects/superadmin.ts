import { NotFoundError } from '../platform/errors.js';
import type { Caller } from '../platform/http/auth.js';
import { writeProjectFlag } from './project-flags-table.js';
import { loadProjectParts, toStaffProjectView } from './project-views.js';
import { getProject } from './projects-table.js';

// Staff mark one of our own projects as superadmin (PUT /v1/admin/projects/{id}/superadmin): its
// satellite is then offered alpha and beta plugin versions too (shared/catalog/version-channels.ts).
// Customers never set it (the route is staff-only; an order carrying it from a customer is a 403).

export async function setSuperadmin(caller: Caller, projectId: string, isSuperadmin: boolean) {
  const project = await getProject(projectId);
  if (!project) throw new NotFoundError(`Project ${projectId} not found.`);
  // Setting what is set already changes nothing and logs nothing.
  if ((project.isSuperadmin === true) !== isSuperadmin) {
    if (
      !(await writeProjectFlag(projectId, 'isSuperadmin', isSuperadmin, {
        action: isSuperadmin ? 'superadmin_set' : 'superadmin_cleared',
        message: isSuperadmin
          ? 'Superadmin project: offered alpha and beta plugin versions too'
          : 'No longer a superadmin project: offered stable plugin versions only',
        by: caller.email,
      }))
    )
      throw new NotFoundError(`Project ${projectId} not found.`);
  }
  return toStaffProjectView(await loadProjectParts(projectId));
}
