import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { serversView } from '../../shared/servers/server-admin.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.listServers, () => serversView());
