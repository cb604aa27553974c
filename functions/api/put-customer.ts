import { clearForInvoices } from '../../shared/customers/customer-profile.js';
import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.putCustomer, ({ caller, params, body }) =>
  clearForInvoices(caller, params.email, body.invoiceAllowed),
);
