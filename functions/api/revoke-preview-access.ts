import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { revokeAccess } from '../../shared/preview/preview-accesses.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.revokePreviewAccess, ({ caller, params }) =>
  revokeAccess(caller, params.id, params.accessId),
);
