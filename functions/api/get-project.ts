import { httpHandler } from '../../shared/http/handler.js';
import { getProjectView } from '../../shared/services/project-views.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.getProject, ({ caller, params }) =>
  getProjectView(caller, params.id),
);
