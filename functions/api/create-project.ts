import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { countProjectOrdered } from '../../shared/platform/metrics.js';
import { countCall } from '../../shared/platform/rate-limit/rate-limits-table.js';
import { orderProject } from '../../shared/projects/order-project.js';
import { toProjectView } from '../../shared/projects/project-views.js';
import { routes } from '../routes.js';

export const handler = httpHandler(
  routes.createProject,
  async ({ caller, body }) => {
    const { project, checkoutUrl } = await orderProject(caller, body);
    countProjectOrdered();
    return { project: toProjectView(project), checkoutUrl };
  },
  { countCall },
);
