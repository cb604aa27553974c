import { choosePrimaryDomain } from '../../shared/domains/primary-domain.js';
import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.setPrimaryDomain, ({ caller, params }) =>
  choosePrimaryDomain(caller, params.id, params.domain),
);
