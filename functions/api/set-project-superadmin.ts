import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { setSuperadmin } from '../../shared/projects/superadmin.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.setProjectSuperadmin, ({ caller, params, body }) =>
  setSuperadmin(caller, params.id, body.isSuperadmin),
);
