import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { satelliteConfig } from '../../shared/satellites/satellite-api.js';
import { authenticateSatellite } from '../../shared/satellites/satellite-auth.js';
import { routes } from '../routes.js';

export const handler = httpHandler(
  routes.getSatelliteConfig,
  ({ satelliteProjectId, params }) => satelliteConfig(satelliteProjectId, params.id),
  { authenticateApiKey: authenticateSatellite },
);
