import { domainAvailability } from '../../shared/domains/domain-availability.js';
import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.checkDomainAvailability, ({ query }) =>
  domainAvailability(query.domain),
);
