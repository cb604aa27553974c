import type { Caller } from '../platform/http/auth.js';
import { type Customer, getCustomer, putCustomerProfile, setInvoiceAllowed } from './customers-table.js';
import type { PutProfileRequest } from './schemas.js';

// A customer's own profile (contract: GET/PUT /v1/me) and staff clearing them to pay by invoice
// (PUT /v1/admin/customers/{email}). The e-mail is the verified one of the token: a profile can't
// be read or written for anybody else.

export async function myProfile(caller: Caller) {
  return profileView((await getCustomer(caller.email)) ?? emptyProfile(caller.email));
}

export async function updateMyProfile(caller: Caller, req: PutProfileRequest) {
  const customer = await putCustomerProfile(caller.email, {
    name: req.name,
    company: req.company ?? null,
    address: req.address ?? null,
    phone: req.phone ?? null,
    locale: req.locale,
  });
  return profileView(customer);
}

export async function clearForInvoices(caller: Caller, email: string, invoiceAllowed: boolean) {
  const customer = await setInvoiceAllowed(email.toLowerCase(), invoiceAllowed, caller.email);
  return {
    ...profileView(customer),
    invoiceAllowedBy: customer.invoiceAllowedBy ?? null,
    invoiceAllowedAt: customer.invoiceAllowedAt ?? null,
  };
}

/** Whether a customer may order with payment method `invoice` without staff. */
export async function isClearedForInvoices(email: string): Promise<boolean> {
  return (await getCustomer(email))?.invoiceAllowed === true;
}

function emptyProfile(email: string): Customer {
  const now = new Date().toISOString();
  return {
    email,
    name: null,
    company: null,
    address: null,
    phone: null,
    locale: 'de',
    invoiceAllowed: false,
    createdAt: now,
    updatedAt: now,
  };
}

function profileView(c: Customer) {
  return {
    email: c.email,
    name: c.name,
    company: c.company,
    address: c.address,
    phone: c.phone,
    locale: c.locale,
    invoiceAllowed: c.invoiceAllowed,
  };
}
