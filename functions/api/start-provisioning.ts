import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { startProvisioningByHand } from '../../shared/provisioning/start-by-hand.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.startProvisioning, ({ caller, params }) =>
  startProvisioningByHand(caller, params.id),
);
