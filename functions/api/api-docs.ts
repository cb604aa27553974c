import { docsPage } from '../../shared/platform/http/api-docs.js';
import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.apiDocs, async () => docsPage('/v1/openapi.json', '/v1/docs'));
