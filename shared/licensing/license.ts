import type { BillingCycle } from '../catalog/pricing.js';

export const LICENSE_STATUSES = ['active', 'trial', 'suspended', 'expired', 'cancelled'] as const;
export type LicenseStatus = (typeof LICENSE_STATUSES)[number];

/** Expiry of a license bought now (seeds/000 §9.3 `calculate_expiry`). One-off purchases never expire. */
export function licenseExpiry(cycle: BillingCycle, purchasedAt: Date): Date | null {
  switch (cycle) {
    case 'once':
      return null;
    case 'monthly':
      return addMonths(purchasedAt, 1);
    case 'yearly':
      return addMonths(purchasedAt, 12);
  }
}

/** Same day n months later, capped at the target month's last day (Jan 31 + 1 month = Feb 28/29). */
function addMonths(from: Date, months: number): Date {
  const d = new Date(from.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d;
}

/** A license entitles its project to a plugin while active or in trial and not past its expiry. */
export function isLicenseValid(
  license: { status: LicenseStatus; expiresAt: string | null },
  now: Date,
): boolean {
  if (license.status !== 'active' && license.status !== 'trial') return false;
  return license.expiresAt === null || new Date(license.expiresAt).getTime() > now.getTime();
}
