import { buildOpenApi } from '../../shared/platform/http/openapi.js';
import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { routeList, routes } from '../routes.js';

let document: Record<string, unknown> | undefined;

export const handler = httpHandler(routes.openApi, async () => (document ??= buildOpenApi(routeList)));
