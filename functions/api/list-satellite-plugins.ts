import { httpHandler } from '../../shared/http/handler.js';
import { satellitePlugins } from '../../shared/services/satellite.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.listSatellitePlugins, ({ satelliteProjectId, params }) =>
  satellitePlugins(satelliteProjectId, params.id),
);
