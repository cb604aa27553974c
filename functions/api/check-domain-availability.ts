import { domainAvailability } from '../../shared/domains/domain-availability.js';
import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { countCall } from '../../shared/platform/rate-limit/rate-limits-table.js';
import { routes } from '../routes.js';

export const handler = httpHandler(
  routes.checkDomainAvailability,
  ({ query }) => domainAvailability(query.domain),
  {
    countCall,
  },
);
