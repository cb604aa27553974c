import { httpHandler } from '../../shared/http/handler.js';
import { retryProvisioning } from '../../shared/services/retry-provisioning.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.retryProvisioning, ({ caller, params }) =>
  retryProvisioning(caller, params.id),
);
