import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { setPreviewProtection } from '../../shared/preview/preview-protection.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.setPreviewProtection, ({ caller, params, body }) =>
  setPreviewProtection(caller, params.id, body.enabled),
);
