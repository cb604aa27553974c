import { tldPricesView } from '../../shared/catalog/tld-prices.js';
import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.listTldPrices, () => tldPricesView());
