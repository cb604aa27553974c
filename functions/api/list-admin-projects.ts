import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { listProjectsForStaff } from '../../shared/projects/admin-project-lists.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.listAdminProjects, ({ query }) => listProjectsForStaff(query));
