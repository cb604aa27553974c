import { changeBaseDomain } from '../../shared/catalog/base-domains-admin.js';
import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.changeBaseDomain, ({ caller, params, body }) =>
  changeBaseDomain(caller, params.domain, body),
);
