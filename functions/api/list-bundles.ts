import { httpHandler } from '../../shared/http/handler.js';
import { bundlesView } from '../../shared/services/catalog.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.listBundles, ({ query }) => bundlesView(query.projectType));
