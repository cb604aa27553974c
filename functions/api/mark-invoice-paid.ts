import { markInvoicePaid } from '../../shared/billing/invoice-payments.js';
import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.markInvoicePaid, ({ caller, params, body }) =>
  markInvoicePaid(caller, params.id, body),
);
