import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { findDrift } from '../../shared/provisioning/drift/project-drift.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.getProjectDrift, ({ params }) => findDrift(params.id));
