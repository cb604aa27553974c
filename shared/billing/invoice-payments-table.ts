import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { LicenseStatus } from '../licensing/license.js';
import { db, fromItem, table } from '../platform/table/db.js';

// Invoices staff marked paid: one marker per project and invoice reference, written in the same
// transaction as the license extensions it paid for (shared/licensing/licenses-table.ts), on
// condition it does not exist — so one reference extends the licenses once. It keeps what was done,
// and a repeat answers with it.
// Access patterns (keys):
//   invoice recorded as paid?   pk=PROJECT#<id>  sk=INVOICEPAID#<reference>

export interface InvoicePaymentLicense {
  plugin: string;
  oldStatus: LicenseStatus;
  newStatus: LicenseStatus;
  oldExpiresAt: string | null;
  newExpiresAt: string | null;
}

export interface InvoicePayment {
  projectId: string;
  reference: string;
  /** As staff gave it (UTC), or null: one billing cycle each. */
  paidUntil: string | null;
  recordedBy: string;
  recordedAt: string;
  licenses: InvoicePaymentLicense[];
}

const keyOf = (projectId: string, reference: string) => ({
  pk: `PROJECT#${projectId}`,
  sk: `INVOICEPAID#${reference}`,
});

/** The marker as an item for the extension's transaction (put there on attribute_not_exists). */
export function invoicePaymentItem(payment: InvoicePayment): Record<string, unknown> {
  return { ...keyOf(payment.projectId, payment.reference), entity: 'InvoicePayment', ...payment };
}

export async function getInvoicePayment(
  projectId: string,
  reference: string,
): Promise<InvoicePayment | undefined> {
  const out = await db().send(
    new GetCommand({ TableName: table(), Key: keyOf(projectId, reference), ConsistentRead: true }),
  );
  return out.Item ? fromItem<InvoicePayment>(out.Item) : undefined;
}
