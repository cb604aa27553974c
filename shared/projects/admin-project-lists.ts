import { ValidationError } from '../platform/errors.js';
import { queryPage } from '../platform/table/pages.js';
import { getServer, projectsOnServerQuery } from '../servers/servers-table.js';
import type { AdminProjectsQuery } from './admin-project-schemas.js';
import { loadProjectParts, toStaffProjectView } from './project-views.js';
import { findProjectIdByDomain, type Project, pagedQueries } from './projects-table.js';

// GET /v1/admin/projects (staff): projects by status (gsi2 STATUS#), owner [+ status] (gsi1
// OWNER#), server (its item collection: one SERVER#<id>/PROJECT#<projectId> item per slot taken)
// or domain (the domain's uniqueness marker). Every list is an index read with a signed cursor;
// nothing scans.

export async function listProjectsForStaff(query: AdminProjectsQuery) {
  const { limit, cursor } = query;
  let ids: string[];
  let nextCursor: string | null = null;
  if (query.domain) {
    const id = await findProjectIdByDomain(query.domain);
    ids = id ? [id] : [];
  } else if (query.server) {
    // A server that does not exist is a mistake in the filter (400), not an empty fleet.
    if (!(await getServer(query.server)))
      throw new ValidationError(`No server ${query.server}.`, [
        { path: 'server', message: 'no such server' },
      ]);
    const page = await queryPage<{ projectId: string }>(projectsOnServerQuery(query.server), limit, cursor);
    ids = page.items.map((i) => i.projectId);
    nextCursor = page.nextCursor;
  } else {
    const input = query.owner
      ? pagedQueries.projectsByOwner(query.owner, query.status)
      : pagedQueries.projectsByStatus(query.status!);
    const page = await queryPage<Project>(input, limit, cursor);
    ids = page.items.map((p) => p.id);
    nextCursor = page.nextCursor;
  }
  const items = await Promise.all(ids.map(async (id) => toStaffProjectView(await loadProjectParts(id))));
  return { items, nextCursor };
}
