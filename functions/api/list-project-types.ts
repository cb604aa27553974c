import { httpHandler } from '../../shared/http/handler.js';
import { projectTypesView } from '../../shared/services/catalog.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.listProjectTypes, () => projectTypesView());
