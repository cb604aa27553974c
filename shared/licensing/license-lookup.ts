import { NotFoundError } from '../platform/errors.js';
import { getProject, type License, type Project } from '../projects/projects-table.js';
import { readLicense } from './licenses-table.js';

/** A project and one of its licenses, read now; 404 naming which one is missing. */
export async function loadLicense(
  projectId: string,
  plugin: string,
): Promise<{ project: Project; license: License }> {
  const [project, license] = await Promise.all([getProject(projectId), readLicense(projectId, plugin)]);
  if (!project) throw new NotFoundError(`Project ${projectId} not found.`);
  if (!license) throw new NotFoundError(`Project ${projectId} has no license for plugin "${plugin}".`);
  return { project, license };
}
