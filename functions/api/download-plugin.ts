import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { pluginDownload } from '../../shared/satellites/plugin-download.js';
import { apiKeyHashOf, projectOfKeyMarker } from '../../shared/satellites/satellite-auth.js';
import { routes } from '../routes.js';

// The key's marker authenticates; the service checks the key and the project's status on the
// project it reads with the license (two DynamoDB calls per download in all).
export const handler = httpHandler(
  routes.downloadPlugin,
  ({ satelliteProjectId, params, event }) =>
    pluginDownload(satelliteProjectId, apiKeyHashOf(event.headers), params.name),
  { authenticateApiKey: async (key) => (await projectOfKeyMarker(key)).projectId },
);
