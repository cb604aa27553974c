import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { getProjectView } from '../../shared/projects/project-views.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.getProject, ({ caller, params }) =>
  getProjectView(caller, params.id),
);
