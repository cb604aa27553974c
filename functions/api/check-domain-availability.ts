import { httpHandler } from '../../shared/http/handler.js';
import { domainAvailability } from '../../shared/services/domain-availability.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.checkDomainAvailability, ({ query }) =>
  domainAvailability(query.domain),
);
