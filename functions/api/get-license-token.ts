import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { licenseToken } from '../../shared/satellites/license-token.js';
import { authenticateSatellite } from '../../shared/satellites/satellite-auth.js';
import { routes } from '../routes.js';

export const handler = httpHandler(
  routes.getLicenseToken,
  ({ satelliteProjectId, params }) => licenseToken(satelliteProjectId, params.id),
  { authenticateApiKey: authenticateSatellite },
);
