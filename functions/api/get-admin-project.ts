import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { getAdminProjectDetails } from '../../shared/projects/admin-project-details.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.getAdminProject, ({ params }) => getAdminProjectDetails(params.id));
