import { httpHandler } from '../../shared/http/handler.js';
import { pluginDownload } from '../../shared/services/satellite.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.downloadPlugin, ({ satelliteProjectId, params }) =>
  pluginDownload(satelliteProjectId, params.name),
);
