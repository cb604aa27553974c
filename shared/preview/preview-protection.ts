import { NotFoundError } from '../platform/errors.js';
import type { Caller } from '../platform/http/auth.js';
import { writeProjectFlag } from '../projects/project-flags-table.js';
import { loadProjectParts, toStaffProjectView } from '../projects/project-views.js';
import { getProject } from '../projects/projects-table.js';

// Staff switch a project's preview protection on or off (PUT /v1/admin/projects/{id}/preview-protection).
// The satellite learns it from its config (previewProtection, robotsTag) on its next read.

export async function setPreviewProtection(caller: Caller, projectId: string, enabled: boolean) {
  const project = await getProject(projectId);
  if (!project) throw new NotFoundError(`Project ${projectId} not found.`);
  // Setting what is set already changes nothing and logs nothing.
  if (project.previewProtection !== enabled) {
    if (
      !(await writeProjectFlag(projectId, 'previewProtection', enabled, {
        action: enabled ? 'preview_protection_on' : 'preview_protection_off',
        message: enabled
          ? 'Preview protection on: the site opens only with a preview link or code, and is not indexed'
          : 'Preview protection off: the site is public',
        by: caller.email,
      }))
    )
      throw new NotFoundError(`Project ${projectId} not found.`);
  }
  return toStaffProjectView(await loadProjectParts(projectId));
}
