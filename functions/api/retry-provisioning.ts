import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { retryProvisioning } from '../../shared/provisioning/retry-provisioning.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.retryProvisioning, ({ caller, params }) =>
  retryProvisioning(caller, params.id),
);
