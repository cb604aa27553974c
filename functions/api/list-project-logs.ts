import { httpHandler } from '../../shared/http/handler.js';
import { listProjectLogs } from '../../shared/services/project-views.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.listProjectLogs, ({ caller, params, query }) =>
  listProjectLogs(caller, params.id, query.limit, query.cursor),
);
