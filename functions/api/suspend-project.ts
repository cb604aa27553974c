import { requestLifecycleAction } from '../../shared/lifecycle/lifecycle-requests.js';
import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.suspendProject, ({ caller, params, body }) =>
  requestLifecycleAction(caller, params.id, 'suspend', body ?? {}),
);
