import { NotFoundError, TransientError } from '../../platform/errors.js';
import { isInProgress } from '../../projects/project-status.js';
import type { Project } from '../../projects/projects-table.js';

/**
 * Tasks only work on projects an execution is responsible for. A project still in `error` right
 * after a console redrive (the status event not yet applied) is retried, not failed.
 */
export function requireInProgress(project: Project | undefined, id: string): Project {
  if (!project) throw new NotFoundError(`Project ${id} not found.`);
  if (project.status === 'error') {
    throw new TransientError(
      'ProjectInError',
      `project ${id} is still marked "error"; waiting for the redrive to be recorded`,
    );
  }
  if (!isInProgress(project.status) && project.status !== 'active') {
    throw new NotFoundError(`Project ${id} is "${project.status}", not being provisioned.`);
  }
  return project;
}
