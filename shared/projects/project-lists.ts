import type { z } from 'zod';
import { type Caller, isStaff } from '../platform/http/auth.js';
import { queryPage } from '../platform/table/pages.js';
import { customerLogMessage, customerTriggeredBy } from './customer-messages.js';
import { loadProjectForCaller, toProjectView } from './project-views.js';
import {
  getProject,
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

const isReseller = (caller: Caller): boolean => !isStaff(caller) && caller.roles.includes('reseller');

/**
 * A reseller's list: the projects it ordered for its customers, newest first (a page of links,
 * then each project). `status` filters within the page, so a page may hold fewer than `limit`.
 */
async function resoldProjects(
  email: string,
  query: { status?: Project['status'] | undefined; limit: number; cursor?: string | undefined },
) {
  const links = await queryPage<{ projectId: string }>(
    pagedQueries.projectsOfReseller(email),
    query.limit,
    query.cursor,
  );
  const projects = await Promise.all(links.items.map((l) => getProject(l.projectId)));
  return {
    items: projects.filter(
      (p): p is Project => p !== undefined && (!query.status || p.status === query.status),
    ),
    nextCursor: links.nextCursor,
  };
}

/**
 * Staff with `?status=` see every project in that status; resellers the projects they ordered for
 * their customers; everyone else the projects they own.
 */
export async function listProjectsForCaller(
  caller: Caller,
  query: { status?: Project['status'] | undefined; limit: number; cursor?: string | undefined },
) {
  const page =
    isStaff(caller) && query.status
      ? await queryPage<Project>(pagedQueries.projectsByStatus(query.status), query.limit, query.cursor)
      : isReseller(caller)
        ? await resoldProjects(caller.email, query)
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
