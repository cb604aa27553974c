import type { z } from 'zod';
import { queryPage } from '../platform/table/pages.js';
import { loadLicense } from './license-lookup.js';
import { type LicenseHistoryRecord, licenseHistoryQuery } from './licenses-table.js';
import type { licenseHistoryView } from './schemas.js';

// A license's history for staff (GET /v1/admin/projects/{id}/licenses/{plugin}/history): every
// change with who, when, old → new status and expiry, and why; newest first, paged with signed
// cursors that hold only for this license's list.

export async function listLicenseHistory(
  projectId: string,
  plugin: string,
  limit: number,
  cursor?: string,
): Promise<{ items: z.infer<typeof licenseHistoryView>[]; nextCursor: string | null }> {
  await loadLicense(projectId, plugin);
  const page = await queryPage<LicenseHistoryRecord>(licenseHistoryQuery(projectId, plugin), limit, cursor);
  return {
    items: page.items.map((h) => ({
      plugin: h.plugin,
      action: h.action,
      oldStatus: h.oldStatus,
      newStatus: h.newStatus,
      oldExpiresAt: h.oldExpiresAt ?? null,
      newExpiresAt: h.newExpiresAt ?? null,
      triggeredBy: h.triggeredBy,
      reason: h.reason ?? null,
      reference: h.reference ?? null,
      createdAt: h.createdAt,
    })),
    nextCursor: page.nextCursor,
  };
}
