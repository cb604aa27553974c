import { docsAsset } from '../../shared/platform/http/api-docs.js';
import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.apiDocsAsset, async ({ params, event }) =>
  docsAsset(params.file, event.headers['accept-encoding']),
);
