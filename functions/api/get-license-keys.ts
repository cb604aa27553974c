import { licenseKeySet } from '../../shared/licensing/signing-key-secret.js';
import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.getLicenseKeys, () => licenseKeySet());
