import type { z } from 'zod';
import { NotFoundError } from '../platform/errors.js';
import { type Caller, isStaff } from '../platform/http/auth.js';
import { customerProvisioningError } from './customer-messages.js';
import {
  getProject,
  type License,
  listDomains,
  listLicenses,
  type Project,
  type ProjectDomain,
} from './projects-table.js';
import type { domainView, projectView, staffProjectView } from './schemas.js';

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

/** Staff, the owner, and the reseller who ordered the project for its owner. */
export function mayManage(caller: Caller, project: Pick<Project, 'ownerEmail' | 'resellerEmail'>): boolean {
  if (isStaff(caller) || project.ownerEmail === caller.email) return true;
  return caller.roles.includes('reseller') && project.resellerEmail === caller.email;
}

/** Owner, reseller or staff; anyone else gets the same 404 as for a project that does not exist. */
export async function loadProjectForCaller(caller: Caller, id: string): Promise<ProjectWithParts> {
  const parts = await loadProjectParts(id).catch((err: unknown) => {
    if (err instanceof NotFoundError) throw new NotFoundError(`Project ${id} not found.`);
    throw err;
  });
  if (!mayManage(caller, parts.project)) throw new NotFoundError(`Project ${id} not found.`);
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
    domains: domains.filter((d) => d.status !== 'removed').map(toDomainView),
    licenses: licenses.map((l) => ({
      plugin: l.plugin,
      status: l.status,
      billingCycle: l.billingCycle,
      expiresAt: l.expiresAt,
    })),
    provisioningError: p.provisioningError ? customerProvisioningError(p.statusBeforeError) : null,
    provisioningRetryCount: p.provisioningRetryCount,
    suspensionReason: p.status === 'suspended' ? (p.suspensionReason ?? null) : null,
    isDemo: p.isDemo,
    clonedFromProjectId: p.clonedFromProjectId ?? null,
    previewProtection: p.previewProtection,
    trialEndsAt: p.trialEndsAt ?? null,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

export function toDomainView(d: ProjectDomain): z.infer<typeof domainView> {
  return {
    domain: d.unicode ?? d.domain,
    type: d.type,
    status: d.status,
    isPrimary: d.isPrimary,
    failureReason: d.failureReason ?? null,
    expiresAt: d.expiresAt ?? null,
  };
}

export function toStaffProjectView(parts: ProjectWithParts): z.infer<typeof staffProjectView> {
  const p = parts.project;
  return {
    ...toProjectView(parts),
    isSuperadmin: p.isSuperadmin === true,
    provisioningError: p.provisioningError ?? null,
    serverId: p.serverId ?? null,
    coolifyProjectUuid: p.coolifyProjectUuid ?? null,
    coolifyApplicationUuid: p.coolifyAppUuid ?? null,
    executionArn: p.executionArn ?? null,
    suspendedAt: p.status === 'suspended' ? (p.suspendedAt ?? null) : null,
    suspendedBy: p.status === 'suspended' ? (p.suspendedBy ?? null) : null,
    archiveReason: p.archiveReason ?? null,
    archivedAt: p.archivedAt ?? null,
    archivedBy: p.archivedBy ?? null,
    lifecycleRequest: p.lifecycleRequest
      ? {
          action: p.lifecycleRequest.action,
          reason: p.lifecycleRequest.reason ?? null,
          requestedBy: p.lifecycleRequest.requestedBy,
          requestedAt: p.lifecycleRequest.requestedAt,
          executionArn: p.lifecycleRequest.executionArn,
        }
      : null,
    pendingTakeover: p.pendingTakeover
      ? {
          ownerEmail: p.pendingTakeover.terms.ownerEmail,
          paymentMethod: p.pendingTakeover.terms.paymentMethod,
          checkoutUrl: p.pendingTakeover.checkoutUrl,
          requestedBy: p.pendingTakeover.requestedBy,
          requestedAt: p.pendingTakeover.requestedAt,
        }
      : null,
    takenOverAt: p.takenOverAt ?? null,
    previousOwnerEmail: p.previousOwnerEmail ?? null,
  };
}

export async function getProjectView(caller: Caller, id: string) {
  const parts = await loadProjectForCaller(caller, id);
  return isStaff(caller) ? toStaffProjectView(parts) : toProjectView(parts);
}
