import { bundlesView } from '../../shared/catalog/catalog-views.js';
import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.listBundles, ({ query }) => bundlesView(query.projectType));
