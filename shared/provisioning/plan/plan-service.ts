import { getProjectType } from '../../catalog/catalog-table.js';
import { NotFoundError } from '../../platform/errors.js';
import { loadProjectParts } from '../../projects/project-views.js';
import { getServerSelection } from '../../servers/selection-settings-table.js';
import { listServers } from '../../servers/servers-table.js';
import { provisioningConfig } from '../tasks/provisioning-config.js';
import { provisioningPlan } from './provisioning-plan.js';

/** GET /v1/admin/projects/{id}/plan: reads the project, its type, the servers and the setting; writes nothing. */
export async function planForProject(id: string) {
  const [{ project, domains }, servers, selection] = await Promise.all([
    loadProjectParts(id),
    listServers(),
    getServerSelection(),
  ]);
  const projectType = await getProjectType(project.projectType);
  if (!projectType)
    throw new NotFoundError(`Project type ${project.projectType} of project ${id} not found.`);
  const config = provisioningConfig();
  return provisioningPlan({
    project,
    domains,
    projectType,
    servers,
    // The ticket the next round-robin reservation would draw (reading does not draw it).
    selection: { strategy: selection.strategy, nextTicket: selection.roundRobinCounter },
    marketplaceUrl: config.MARKETPLACE_URL,
    healthCheckUrlTemplate: config.HEALTH_CHECK_URL_TEMPLATE,
  });
}
