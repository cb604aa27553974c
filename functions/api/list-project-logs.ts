import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { listProjectLogs } from '../../shared/projects/project-lists.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.listProjectLogs, ({ caller, params, query }) =>
  listProjectLogs(caller, params.id, query.limit, query.cursor),
);
