import { httpHandler } from '../../shared/http/handler.js';
import { listProjectsForCaller } from '../../shared/services/project-views.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.listProjects, ({ caller, query }) =>
  listProjectsForCaller(caller, query),
);
