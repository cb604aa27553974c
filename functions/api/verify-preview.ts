import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { countCall } from '../../shared/platform/rate-limit/rate-limits-table.js';
import { verifyPreview } from '../../shared/preview/verify-preview.js';
import { authenticateSatellite } from '../../shared/satellites/satellite-auth.js';
import { routes } from '../routes.js';

export const handler = httpHandler(
  routes.verifyPreview,
  ({ satelliteProjectId, params, body }) => verifyPreview(satelliteProjectId, params.id, body),
  { authenticateApiKey: authenticateSatellite, countCall },
);
