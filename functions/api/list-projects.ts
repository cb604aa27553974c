import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { listProjectsForCaller } from '../../shared/projects/project-lists.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.listProjects, ({ caller, query }) =>
  listProjectsForCaller(caller, query),
);
