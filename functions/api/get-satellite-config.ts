import { httpHandler } from '../../shared/http/handler.js';
import { satelliteConfig } from '../../shared/services/satellite.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.getSatelliteConfig, ({ satelliteProjectId, params }) =>
  satelliteConfig(satelliteProjectId, params.id),
);
