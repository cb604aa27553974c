import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { satellitePlugins } from '../../shared/satellites/satellite-api.js';
import { authenticateSatellite } from '../../shared/satellites/satellite-auth.js';
import { routes } from '../routes.js';

export const handler = httpHandler(
  routes.listSatellitePlugins,
  ({ satelliteProjectId, params }) => satellitePlugins(satelliteProjectId, params.id),
  { authenticateApiKey: authenticateSatellite },
);
