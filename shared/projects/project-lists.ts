import type { z } from 'zod';
import { type Caller, isStaff } from '../platform/http/auth.js';
import { queryPage } from '../platform/table/pages.js';
import { customerLogMessage, customerTriggeredBy } from './customer-messages.js';
import { loadProjectForCaller, toProjectView } from './project-views.js';
import {
  listDomains,
  listLicenses,
  type Project,
  type ProvisioningLogEntry,
  pagedQueries,
} from './projects-table.js';
import type { provisioningLogView } from './schemas.js';

// The lists callers page through: projects and a project's provisioning log.

export async function listProjectLogs(
  caller: Caller,
  id: string,
  limit: number,
  cursor?: string,
): Promise<{ items: z.infer<typeof provisioningLogView>[]; nextCursor: string | null }> {
  await loadProjectForCaller(caller, id);
  const page = await queryPage<ProvisioningLogEntry>(pagedQueries.logs(id), limit, cursor);
  const staff = isStaff(caller);
  return {
    items: page.items.map((l) => ({
      action: l.action,
      message: staff ? (l.message ?? null) : customerLogMessage(l.action),
      oldStatus: l.oldStatus ?? null,
      newStatus: l.newStatus ?? null,
      externalService: l.externalService ?? null,
      externalId: staff ? (l.externalId ?? null) : null,
      triggeredBy: staff ? l.triggeredBy : customerTriggeredBy(l.triggeredBy, caller.email),
      createdAt: l.createdAt,
    })),
    nextCursor: page.nextCursor,
  };
}

/** Staff with `?status=` see every project in that status; otherwise callers see the projects they own. */
export async function listProjectsForCaller(
  caller: Caller,
  query: { status?: Project['status'] | undefined; limit: number; cursor?: string | undefined },
) {
  const page =
    isStaff(caller) && query.status
      ? await queryPage<Project>(pagedQueries.projectsByStatus(query.status), query.limit, query.cursor)
      : await queryPage<Project>(
          pagedQueries.projectsByOwner(caller.email, query.status),
          query.limit,
          query.cursor,
        );
  const items = await Promise.all(
    page.items.map(async (p) =>
      toProjectView({ project: p, domains: await listDomains(p.id), licenses: await listLicenses(p.id) }),
    ),
  );
  return { items, nextCursor: page.nextCursor };
}
