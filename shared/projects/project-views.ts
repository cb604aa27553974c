import type { z } from 'zod';
import { NotFoundError } from '../platform/errors.js';
import { type Caller, isStaff } from '../platform/http/auth.js';
import { customerLogMessage, customerProvisioningError, customerTriggeredBy } from './customer-messages.js';
import {
  getProject,
  type License,
  listDomains,
  listLicenses,
  listLogs,
  listProjectsByOwner,
  listProjectsByStatus,
  type Project,
  type ProjectDomain,
} from './projects-table.js';
import type { projectView, provisioningLogView, staffProjectView } from './schemas.js';

export interface ProjectWithParts {
  project: Project;
  domains: ProjectDomain[];
  licenses: License[];
}

export async function loadProjectParts(id: string): Promise<ProjectWithParts> {
  const [project, domains, licenses] = await Promise.all([getProject(id), listDomains(id), listLicenses(id)]);
  if (!project) throw new NotFoundError(`Project ${id} not found.`);
  return { project, domains, licenses };
}

/** Owner or staff; anyone else gets the same 404 as for a project that does not exist. */
export async function loadProjectForCaller(caller: Caller, id: string): Promise<ProjectWithParts> {
  const parts = await loadProjectParts(id).catch((err: unknown) => {
    if (err instanceof NotFoundError) throw new NotFoundError(`Project ${id} not found.`);
    throw err;
  });
  if (!isStaff(caller) && parts.project.ownerEmail !== caller.email)
    throw new NotFoundError(`Project ${id} not found.`);
  return parts;
}

/** The project as its owner sees it: no internal details (shared/projects/customer-messages.ts). */
export function toProjectView({
  project: p,
  domains,
  licenses,
}: ProjectWithParts): z.infer<typeof projectView> {
  return {
    id: p.id,
    name: p.name,
    slug: p.slug,
    projectType: p.projectType,
    status: p.status,
    paymentMethod: p.paymentMethod,
    billingEmail: p.billingEmail,
    ownerEmail: p.ownerEmail,
    domains: domains.map((d) => ({
      domain: d.domain,
      type: d.type,
      status: d.status,
      isPrimary: d.isPrimary,
    })),
    licenses: licenses.map((l) => ({
      plugin: l.plugin,
      status: l.status,
      billingCycle: l.billingCycle,
      expiresAt: l.expiresAt,
    })),
    provisioningError: p.provisioningError ? customerProvisioningError(p.statusBeforeError) : null,
    provisioningRetryCount: p.provisioningRetryCount,
    isDemo: p.isDemo,
    previewProtection: p.previewProtection,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

export function toStaffProjectView(parts: ProjectWithParts): z.infer<typeof staffProjectView> {
  const p = parts.project;
  return {
    ...toProjectView(parts),
    provisioningError: p.provisioningError ?? null,
    serverId: p.serverId ?? null,
    coolifyProjectUuid: p.coolifyProjectUuid ?? null,
    coolifyApplicationUuid: p.coolifyAppUuid ?? null,
    executionArn: p.executionArn ?? null,
  };
}

export async function getProjectView(caller: Caller, id: string) {
  const parts = await loadProjectForCaller(caller, id);
  return isStaff(caller) ? toStaffProjectView(parts) : toProjectView(parts);
}

export async function listProjectLogs(
  caller: Caller,
  id: string,
  limit: number,
  cursor?: string,
): Promise<{ items: z.infer<typeof provisioningLogView>[]; nextCursor: string | null }> {
  await loadProjectForCaller(caller, id);
  const page = await listLogs(id, limit, cursor);
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
      ? await listProjectsByStatus(query.status, query.limit, query.cursor)
      : await listProjectsByOwner(caller.email, query.limit, query.cursor, query.status);
  const items = await Promise.all(
    page.items.map(async (p) =>
      toProjectView({ project: p, domains: await listDomains(p.id), licenses: await listLicenses(p.id) }),
    ),
  );
  return { items, nextCursor: page.nextCursor };
}
