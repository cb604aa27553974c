import { NotFoundError } from '../platform/errors.js';
import { queryPage } from '../platform/table/pages.js';
import { getProject } from '../projects/projects-table.js';
import { toPreviewAccessView } from './preview-accesses.js';
import { type PreviewAccess, previewAccessesQuery, withoutTtl } from './preview-accesses-table.js';

// Staff list a project's preview accesses, paged (signed cursors), without token or code.

export async function listAccesses(projectId: string, limit: number, cursor?: string) {
  if (!(await getProject(projectId))) throw new NotFoundError(`Project ${projectId} not found.`);
  const page = await queryPage<PreviewAccess & { ttl?: number }>(
    previewAccessesQuery(projectId),
    limit,
    cursor,
  );
  return { items: page.items.map((a) => toPreviewAccessView(withoutTtl(a))), nextCursor: page.nextCursor };
}
