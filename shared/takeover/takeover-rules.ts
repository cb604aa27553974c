import type { BillingCycle } from '../catalog/pricing.js';
import { type LicenseStatus, licenseExpiry } from '../licensing/license.js';
import type { PaymentMethod } from '../projects/schemas.js';

// A demo's takeover as rules: what it may be asked of, when a second request is the same one, and
// how the licenses start their paid period under the new owner.

/** Why a project cannot be taken over now (a 409's words), or null when it can. */
export function takeoverRefusal(p: { isDemo: boolean; status: string }): string | null {
  if (!p.isDemo) return 'Only a demo project is taken over; this one is not a demo (any more).';
  if (p.status !== 'active') return `The demo is "${p.status}"; it is taken over once it is live ("active").`;
  return null;
}

/** A request repeating the pending one (a double click, a lost answer): same owner, same payment. */
export const sameTakeover = (
  pending: { ownerEmail: string; paymentMethod: PaymentMethod },
  req: { ownerEmail: string; paymentMethod: PaymentMethod },
): boolean =>
  pending.ownerEmail.toLowerCase() === req.ownerEmail.toLowerCase() &&
  pending.paymentMethod === req.paymentMethod;

interface HeldLicense {
  plugin: string;
  status: LicenseStatus;
  billingCycle: BillingCycle;
  expiresAt: string | null;
}

/**
 * Each license the demo holds (not cancelled) becomes active with a fresh period from `now` in its
 * billing cycle: the new owner's first period is what they just paid for (or are invoiced for).
 */
export function takeoverLicenses(licenses: readonly HeldLicense[], now: Date) {
  return licenses
    .filter((l) => l.status !== 'cancelled')
    .map((l) => ({
      plugin: l.plugin,
      from: l.status,
      fromExpiresAt: l.expiresAt,
      to: 'active' as const,
      expiresAt: licenseExpiry(l.billingCycle, now)?.toISOString() ?? null,
    }));
}
