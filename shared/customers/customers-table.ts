import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, fromItem, table } from '../platform/table/db.js';

// A person who buys from us: their profile, whether staff cleared them to pay by invoice, and their
// Stripe customer once they paid by card.
// Access patterns (keys):
//   get customer by e-mail   pk=CUSTOMER#<email>  sk=CUSTOMER

export interface Address {
  street: string;
  postalCode: string;
  city: string;
  countryCode: string;
}

export interface Customer {
  /** Lower case, as a verified token carries it. */
  email: string;
  name: string | null;
  company: string | null;
  address: Address | null;
  phone: string | null;
  locale: 'de' | 'en';
  invoiceAllowed: boolean;
  /** Who cleared (or stopped) paying by invoice, and when. */
  invoiceAllowedBy?: string;
  invoiceAllowedAt?: string;
  stripeCustomerId?: string;
  createdAt: string;
  updatedAt: string;
}

export type CustomerProfile = Pick<Customer, 'name' | 'company' | 'address' | 'phone' | 'locale'>;

export const customerKeys = { customer: (email: string) => ({ pk: `CUSTOMER#${email}`, sk: 'CUSTOMER' }) };

export async function getCustomer(email: string): Promise<Customer | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: customerKeys.customer(email) }));
  return out.Item ? fromItem<Customer>(out.Item) : undefined;
}

/** Creates the customer or replaces their profile; the invoice clearance and Stripe id stay. */
export async function putCustomerProfile(email: string, profile: CustomerProfile): Promise<Customer> {
  const now = new Date().toISOString();
  const out = await db().send(
    new UpdateCommand({
      TableName: table(),
      Key: customerKeys.customer(email),
      UpdateExpression:
        'SET #name = :name, company = :company, address = :address, phone = :phone, locale = :locale, ' +
        'email = :email, entity = :entity, updatedAt = :now, createdAt = if_not_exists(createdAt, :now), ' +
        'invoiceAllowed = if_not_exists(invoiceAllowed, :no)',
      ExpressionAttributeNames: { '#name': 'name' },
      ExpressionAttributeValues: {
        ':name': profile.name,
        ':company': profile.company,
        ':address': profile.address,
        ':phone': profile.phone,
        ':locale': profile.locale,
        ':email': email,
        ':entity': 'Customer',
        ':now': now,
        ':no': false,
      },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return fromItem<Customer>(out.Attributes!);
}

/** Staff clear a customer to pay by invoice (or stop it); a customer without a profile gets one. */
export async function setInvoiceAllowed(email: string, allowed: boolean, by: string): Promise<Customer> {
  const now = new Date().toISOString();
  const out = await db().send(
    new UpdateCommand({
      TableName: table(),
      Key: customerKeys.customer(email),
      UpdateExpression:
        'SET invoiceAllowed = :allowed, invoiceAllowedBy = :by, invoiceAllowedAt = :now, updatedAt = :now, ' +
        'email = :email, entity = :entity, createdAt = if_not_exists(createdAt, :now), ' +
        '#name = if_not_exists(#name, :null), company = if_not_exists(company, :null), ' +
        'address = if_not_exists(address, :null), phone = if_not_exists(phone, :null), ' +
        'locale = if_not_exists(locale, :de)',
      ExpressionAttributeNames: { '#name': 'name' },
      ExpressionAttributeValues: {
        ':allowed': allowed,
        ':by': by,
        ':now': now,
        ':email': email,
        ':entity': 'Customer',
        ':null': null,
        ':de': 'de',
      },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return fromItem<Customer>(out.Attributes!);
}

/**
 * The customer's Stripe customer: stored once (a customer without a profile gets one); when a
 * concurrent first checkout stored another first, that one is returned and used.
 */
export async function rememberStripeCustomer(email: string, id: string): Promise<string> {
  const now = new Date().toISOString();
  const out = await db().send(
    new UpdateCommand({
      TableName: table(),
      Key: customerKeys.customer(email),
      UpdateExpression:
        'SET stripeCustomerId = if_not_exists(stripeCustomerId, :id), updatedAt = :now, email = :email, ' +
        'entity = :entity, createdAt = if_not_exists(createdAt, :now), invoiceAllowed = if_not_exists(invoiceAllowed, :no), ' +
        '#name = if_not_exists(#name, :null), company = if_not_exists(company, :null), ' +
        'address = if_not_exists(address, :null), phone = if_not_exists(phone, :null), locale = if_not_exists(locale, :de)',
      ExpressionAttributeNames: { '#name': 'name' },
      ExpressionAttributeValues: {
        ':id': id,
        ':now': now,
        ':email': email,
        ':entity': 'Customer',
        ':no': false,
        ':null': null,
        ':de': 'de',
      },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return String(out.Attributes?.stripeCustomerId ?? id);
}
