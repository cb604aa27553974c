import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { serverSelectionView } from '../../shared/servers/server-admin.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.getServerSelection, () => serverSelectionView());
