import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { pluginDownload } from '../../shared/satellites/plugin-download.js';
import { authenticateSatellite } from '../../shared/satellites/satellite-auth.js';
import { routes } from '../routes.js';

export const handler = httpHandler(
  routes.downloadPlugin,
  ({ satelliteProjectId, params }) => pluginDownload(satelliteProjectId, params.name),
  { authenticateApiKey: authenticateSatellite },
);
