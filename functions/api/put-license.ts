import { changeLicenseByStaff } from '../../shared/licensing/staff-license-changes.js';
import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.putLicense, ({ caller, params, body }) =>
  changeLicenseByStaff(caller, params.id, params.plugin, body),
);
