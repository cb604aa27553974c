import { publishPluginRelease } from '../../shared/catalog/plugin-releases.js';
import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.publishPluginVersion, ({ caller, params }) =>
  publishPluginRelease(caller, params.name, params.version),
);
