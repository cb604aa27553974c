import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { listAccesses } from '../../shared/preview/list-preview-accesses.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.listPreviewAccesses, ({ params, query }) =>
  listAccesses(params.id, query.limit, query.cursor),
);
