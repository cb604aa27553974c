import type { Caller } from '../platform/http/auth.js';
import { setProjectFlag } from './project-flags.js';

// Staff mark one of our own projects as superadmin (PUT /v1/admin/projects/{id}/superadmin): its
// satellite is then offered alpha and beta plugin versions too (shared/catalog/version-channels.ts).
// Customers never set it (the route is staff-only; an order carrying it from a customer is a 403).

export function setSuperadmin(caller: Caller, projectId: string, isSuperadmin: boolean) {
  return setProjectFlag(caller, projectId, 'isSuperadmin', isSuperadmin, {
    action: isSuperadmin ? 'superadmin_set' : 'superadmin_cleared',
    message: isSuperadmin
      ? 'Superadmin project: offered alpha and beta plugin versions too'
      : 'No longer a superadmin project: offered stable plugin versions only',
  });
}
