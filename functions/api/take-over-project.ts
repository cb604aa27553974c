import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { requestTakeover } from '../../shared/takeover/request-takeover.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.takeOverProject, ({ caller, params, body }) =>
  requestTakeover(caller, params.id, body),
);
