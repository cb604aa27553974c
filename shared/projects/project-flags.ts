import { NotFoundError } from '../platform/errors.js';
import type { Caller } from '../platform/http/auth.js';
import { type ProjectFlag, writeProjectFlag } from './project-flags-table.js';
import { loadProjectParts, toStaffProjectView } from './project-views.js';
import { getProject } from './projects-table.js';

// Staff switch a flag of a project (superadmin, preview protection) and get the staff view back.
// Setting what is set already changes nothing and logs nothing.

export async function setProjectFlag(
  caller: Caller,
  projectId: string,
  flag: ProjectFlag,
  value: boolean,
  log: { action: string; message: string },
) {
  const project = await getProject(projectId);
  if (!project) throw new NotFoundError(`Project ${projectId} not found.`);
  if ((project[flag] === true) !== value) {
    const written = await writeProjectFlag(projectId, flag, value, { ...log, by: caller.email });
    if (!written) throw new NotFoundError(`Project ${projectId} not found.`);
  }
  return toStaffProjectView(await loadProjectParts(projectId));
}
