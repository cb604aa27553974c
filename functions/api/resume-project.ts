import { requestLifecycleAction } from '../../shared/lifecycle/lifecycle-requests.js';
import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.resumeProject, ({ caller, params, body }) =>
  requestLifecycleAction(caller, params.id, 'resume', body ?? {}),
);
