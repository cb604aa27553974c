import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { addServer } from '../../shared/servers/server-admin.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.addServer, ({ caller, body }) => addServer(caller, body));
