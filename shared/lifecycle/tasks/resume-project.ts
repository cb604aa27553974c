import { ConflictError, TransientError } from '../../platform/errors.js';
import { getProject, listLicenses } from '../../projects/projects-table.js';
import { licensesToRestore } from '../lifecycle-rules.js';
import { resumeProjectAndLicenses } from '../lifecycle-table.js';
import { type LifecycleInput, lifecycleRequestOf } from './lifecycle-input.js';

// Task ResumeProject (resume-project flow), once the application runs again: in one transaction
// the project goes from suspended to active, exactly the licenses the suspension suspended return
// to the status they had (a license staff suspended on its own stays suspended), each with its
// history entry, and the log says so. The satellite's key works again.

export async function resumeProject(input: LifecycleInput) {
  const { projectId, executionArn } = input;
  for (let attempt = 0; attempt < 3; attempt++) {
    const found = await lifecycleRequestOf(input);
    if (found.state === 'finished' || found.project.status === 'active') return { projectId };
    if (found.project.status !== 'suspended') {
      throw new ConflictError(
        `Project ${projectId} is "${found.project.status}"; only a suspended project is resumed.`,
      );
    }
    const { request, project } = found;
    const licenses = licensesToRestore(await listLicenses(projectId), project.suspendedLicenses ?? {});
    const outcome = await resumeProjectAndLicenses(projectId, {
      executionArn,
      by: request.requestedBy,
      reason: request.reason,
      licenses,
      log: {
        action: 'project_resumed',
        message: `Resumed${request.reason ? `: ${request.reason}` : ''}. Licenses back: ${licenses.map((l) => `${l.plugin} (${l.to})`).join(', ') || 'none'}`,
        oldStatus: 'suspended',
        newStatus: 'active',
        triggeredBy: request.requestedBy,
        externalService: 'stepfunctions',
        externalId: executionArn,
      },
    });
    if (outcome === 'done') return { projectId };
    if (outcome === 'project-changed' && (await getProject(projectId))?.status === 'active') {
      return { projectId };
    }
  }
  throw new TransientError('ProjectChanging', `project ${projectId} or its licenses kept changing`);
}
