import { requestPluginUpload } from '../../shared/catalog/plugin-releases.js';
import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.createPluginVersion, ({ caller, params, body }) =>
  requestPluginUpload(caller, params.name, body),
);
