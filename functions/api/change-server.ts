import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { changeServerSettings } from '../../shared/servers/server-admin.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.changeServer, ({ caller, params, body }) =>
  changeServerSettings(caller, params.id, body),
);
