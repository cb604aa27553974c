import type { BillingCycle } from '../catalog/pricing.js';
import type { LicenseStatus } from './license.js';

// How payments move licenses (issue: Commerce, "invoice.paid extends licenses"): a paid period
// extends every recurring license to the period's end (a trial one becomes active), and a failed
// payment keeps them valid through the grace. Pure; licenses-table.ts applyPaymentChanges writes them.

export interface LicensePeriod {
  plugin: string;
  status: LicenseStatus;
  billingCycle: BillingCycle;
  expiresAt: string | null;
}

export interface LicenseChange {
  plugin: string;
  /** As read: the write is conditional on both, so a concurrent duplicate changes nothing twice. */
  from: { status: LicenseStatus; expiresAt: string | null };
  to: { status: LicenseStatus; expiresAt: string | null };
  action: 'extended' | 'activated';
}

const later = (a: string | null, b: string): boolean => a === null || Date.parse(a) >= Date.parse(b);

/**
 * A paid period ending at `periodEnd`: recurring licenses run until then; trial and expired ones
 * become active. Suspended ones keep their status (a resume or staff decides) but get the period;
 * cancelled and one-off licenses are left alone.
 */
export function paidPeriodChanges(licenses: readonly LicensePeriod[], periodEnd: string): LicenseChange[] {
  return licenses.flatMap((l): LicenseChange[] => {
    if (l.billingCycle === 'once' || l.status === 'cancelled') return [];
    const from = { status: l.status, expiresAt: l.expiresAt };
    if (l.status === 'trial' || l.status === 'expired')
      return [
        { plugin: l.plugin, from, to: { status: 'active', expiresAt: periodEnd }, action: 'activated' },
      ];
    if (later(l.expiresAt, periodEnd)) return [];
    return [{ plugin: l.plugin, from, to: { status: l.status, expiresAt: periodEnd }, action: 'extended' }];
  });
}

/** A failed payment: licenses in use stay valid until the grace ends (the site keeps working). */
export function graceChanges(licenses: readonly LicensePeriod[], graceEndsAt: string): LicenseChange[] {
  return licenses.flatMap((l): LicenseChange[] => {
    if (l.billingCycle === 'once' || (l.status !== 'active' && l.status !== 'trial')) return [];
    if (later(l.expiresAt, graceEndsAt)) return [];
    const from = { status: l.status, expiresAt: l.expiresAt };
    return [{ plugin: l.plugin, from, to: { status: l.status, expiresAt: graceEndsAt }, action: 'extended' }];
  });
}
