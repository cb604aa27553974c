import type { BillingCycle } from './pricing.js';

export const LICENSE_STATUSES = ['active', 'trial', 'suspended', 'expired', 'cancelled'] as const;
export type LicenseStatus = (typeof LICENSE_STATUSES)[number];

/** Expiry of a license bought now (seeds/000 §9.3 `calculate_expiry`). One-off purchases never expire. */
export function licenseExpiry(cycle: BillingCycle, purchasedAt: Date): Date | null {
  const d = new Date(purchasedAt.getTime());
  switch (cycle) {
    case 'once':
      return null;
    case 'monthly':
      d.setUTCMonth(d.getUTCMonth() + 1);
      return d;
    case 'yearly':
      d.setUTCFullYear(d.getUTCFullYear() + 1);
      return d;
  }
}

/** A license entitles its project to a plugin while active or in trial and not past its expiry. */
export function isLicenseValid(
  license: { status: LicenseStatus; expiresAt: string | null },
  now: Date,
): boolean {
  if (license.status !== 'active' && license.status !== 'trial') return false;
  return license.expiresAt === null || new Date(license.expiresAt).getTime() > now.getTime();
}
