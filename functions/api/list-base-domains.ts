import { httpHandler } from '../../shared/http/handler.js';
import { baseDomainsView } from '../../shared/services/catalog.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.listBaseDomains, () => baseDomainsView());
