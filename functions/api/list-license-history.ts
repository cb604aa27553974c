import { listLicenseHistory } from '../../shared/licensing/license-history.js';
import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.listLicenseHistory, ({ params, query }) =>
  listLicenseHistory(params.id, params.plugin, query.limit, query.cursor),
);
