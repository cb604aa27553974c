import { httpHandler } from '../../shared/http/handler.js';
import { buildOpenApi } from '../../shared/http/openapi.js';
import { routeList, routes } from '../routes.js';

let document: Record<string, unknown> | undefined;

export const handler = httpHandler(routes.openApi, async () => (document ??= buildOpenApi(routeList)));
