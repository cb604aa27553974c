import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { chooseSelectionStrategy } from '../../shared/servers/server-admin.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.putServerSelection, ({ caller, body }) =>
  chooseSelectionStrategy(caller, body.strategy),
);
