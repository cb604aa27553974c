import type { Caller } from '../platform/http/auth.js';
import { setProjectFlag } from '../projects/project-flags.js';

// Staff switch a project's preview protection on or off (PUT /v1/admin/projects/{id}/preview-protection).
// The satellite learns it from its config (previewProtection, robotsTag) on its next read.

export function setPreviewProtection(caller: Caller, projectId: string, enabled: boolean) {
  return setProjectFlag(caller, projectId, 'previewProtection', enabled, {
    action: enabled ? 'preview_protection_on' : 'preview_protection_off',
    message: enabled
      ? 'Preview protection on: the site opens only with a preview link or code, and is not indexed'
      : 'Preview protection off: the site is public',
  });
}
