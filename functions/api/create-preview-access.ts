import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { createPreviewAccess } from '../../shared/preview/create-preview-access.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.createPreviewAccess, ({ caller, params, body }) =>
  createPreviewAccess(caller, params.id, body),
);
