import { ConflictError, TransientError } from '../../platform/errors.js';
import { getProject, listDomains, listLicenses } from '../../projects/projects-table.js';
import { canRequest, domainsToRemove, licensesToCancel, statusesAllowing } from '../lifecycle-rules.js';
import { archiveProjectAndParts } from '../lifecycle-table.js';
import { type LifecycleInput, lifecycleRequestOf } from './lifecycle-input.js';

// Task ArchiveProject (archive-project flow), once the application and records are gone: in one
// transaction the project is archived with the reason, its server slot is freed (serverId removed
// and the server's count down by one), every license is cancelled (each with its history entry),
// the domains are marked removed except those staff kept, and the log says so. Nothing is deleted:
// the project, its log, its domain markers and its licenses stay readable.

export async function archiveProject(input: LifecycleInput) {
  const { projectId, executionArn } = input;
  for (let attempt = 0; attempt < 3; attempt++) {
    const found = await lifecycleRequestOf(input);
    if (found.state === 'finished' || found.project.status === 'archived') return { projectId };
    const { project, request } = found;
    if (!canRequest('archive', project.status)) {
      throw new ConflictError(`Project ${projectId} is "${project.status}"; it cannot be archived now.`);
    }
    const keep = request.keepDomains ?? [];
    const [licenses, domains] = await Promise.all([listLicenses(projectId), listDomains(projectId)]);
    const cancelled = licensesToCancel(licenses);
    const removed = domainsToRemove(domains, keep);
    const outcome = await archiveProjectAndParts(projectId, {
      executionArn,
      by: request.requestedBy,
      reason: request.reason,
      from: statusesAllowing('archive'),
      serverId: project.serverId,
      keptDomains: keep,
      licenses: cancelled,
      domains: removed,
      log: {
        action: 'project_archived',
        message: [
          `Archived: ${request.reason ?? '(no reason given)'}`,
          project.serverId ? 'server slot freed' : 'no server slot held',
          `licenses cancelled: ${cancelled.map((l) => l.plugin).join(', ') || 'none'}`,
          `domains removed: ${removed.map((d) => d.unicode ?? d.domain).join(', ') || 'none'}`,
          ...(keep.length ? [`domains kept: ${keep.join(', ')}`] : []),
          'data kept',
        ].join('; '),
        oldStatus: project.status,
        newStatus: 'archived',
        triggeredBy: request.requestedBy,
        externalService: 'stepfunctions',
        externalId: executionArn,
      },
    });
    if (outcome === 'done') return { projectId };
    if (outcome === 'project-changed' && (await getProject(projectId))?.status === 'archived') {
      return { projectId };
    }
  }
  throw new TransientError('ProjectChanging', `project ${projectId}, its licenses or domains kept changing`);
}
