import { renewAuthCode } from '../../shared/domains/auth-code-renewal.js';
import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.renewAuthCode, ({ caller, params, body }) =>
  renewAuthCode(caller, params.id, params.domain, body.authCode),
);
