import { addBaseDomain } from '../../shared/catalog/base-domains-admin.js';
import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.addBaseDomain, ({ caller, body }) => addBaseDomain(caller, body));
