import { ConflictError, TransientError } from '../../platform/errors.js';
import { getProject, listLicenses } from '../../projects/projects-table.js';
import { licensesToSuspend } from '../lifecycle-rules.js';
import { suspendProjectAndLicenses } from '../lifecycle-table.js';
import { type LifecycleInput, lifecycleRequestOf } from './lifecycle-input.js';

// Task SuspendProject (suspend-project flow): in one transaction the project goes from active to
// suspended with the reason, every active or trial license is suspended (each with its history
// entry, the status it had kept on the project for the resume), and the log says so. From then on
// the satellite's key is refused (shared/satellites/satellite-auth.ts).

export async function suspendProject(input: LifecycleInput) {
  const { projectId, executionArn } = input;
  for (let attempt = 0; attempt < 3; attempt++) {
    const found = await lifecycleRequestOf(input);
    if (found.state === 'finished' || found.project.status === 'suspended') return { projectId };
    if (found.project.status !== 'active') {
      throw new ConflictError(
        `Project ${projectId} is "${found.project.status}"; only an active project is suspended.`,
      );
    }
    const { request } = found;
    const licenses = licensesToSuspend(await listLicenses(projectId));
    const outcome = await suspendProjectAndLicenses(projectId, {
      executionArn,
      by: request.requestedBy,
      reason: request.reason,
      licenses,
      log: {
        action: 'project_suspended',
        message: `Suspended: ${request.reason ?? '(no reason given)'}. Licenses suspended: ${licenses.map((l) => l.plugin).join(', ') || 'none'}`,
        oldStatus: 'active',
        newStatus: 'suspended',
        triggeredBy: request.requestedBy,
        externalService: 'stepfunctions',
        externalId: executionArn,
      },
    });
    if (outcome === 'done') return { projectId };
    // The project or a license changed between reading and writing: look again.
    if (outcome === 'project-changed' && (await getProject(projectId))?.status === 'suspended') {
      return { projectId };
    }
  }
  throw new TransientError('ProjectChanging', `project ${projectId} or its licenses kept changing`);
}
