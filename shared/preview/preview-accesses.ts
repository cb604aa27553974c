import type { z } from 'zod';
import { NotFoundError } from '../platform/errors.js';
import type { Caller } from '../platform/http/auth.js';
import { getPreviewAccess, type PreviewAccess, revokePreviewAccess } from './preview-accesses-table.js';
import type { previewAccessView } from './schemas.js';

// A preview access as staff see it (never its token or code), and revoking one: from then on its
// link and code get 401. Revoking twice answers the same.

export function toPreviewAccessView(a: PreviewAccess): z.infer<typeof previewAccessView> {
  return {
    id: a.accessId,
    email: a.email ?? null,
    name: a.name ?? null,
    expiresAt: a.expiresAt,
    singleUse: a.singleUse,
    uses: a.uses,
    lastUsedAt: a.lastUsedAt ?? null,
    revokedAt: a.revokedAt ?? null,
    revokedBy: a.revokedBy ?? null,
    createdBy: a.createdBy,
    createdAt: a.createdAt,
  };
}

export async function revokeAccess(caller: Caller, projectId: string, accessId: string) {
  const outcome = await revokePreviewAccess(projectId, accessId, caller.email, new Date(), {
    action: 'preview_access_revoked',
    message: `Preview access ${accessId} revoked`,
    triggeredBy: caller.email,
  });
  if (outcome === 'not-found') throw new NotFoundError(`Preview access ${accessId} not found.`);
  const access = await getPreviewAccess(projectId, accessId);
  if (!access) throw new NotFoundError(`Preview access ${accessId} not found.`);
  return toPreviewAccessView(access);
}
