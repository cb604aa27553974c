import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { repairDrift } from '../../shared/provisioning/drift/project-drift.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.repairProjectDrift, ({ caller, params }) =>
  repairDrift(params.id, caller.email),
);
