import { describe, expect, it } from 'vitest';
import { isLicenseValid, type LicenseStatus, licenseExpiry } from '../../../shared/licensing/license.js';

const NOW = new Date('2025-06-15T12:00:00.000Z');
const TOMORROW = '2025-06-16T12:00:00.000Z';
const YESTERDAY = '2025-06-14T12:00:00.000Z';

describe('isLicenseValid', () => {
  it.each<LicenseStatus>(['active', 'trial'])('entitles a %s license until it expires', (status) => {
    // Act
    const beforeExpiry = isLicenseValid({ status, expiresAt: TOMORROW }, NOW);
    const afterExpiry = isLicenseValid({ status, expiresAt: YESTERDAY }, NOW);

    // Assess
    expect(beforeExpiry).toBe(true);
    expect(afterExpiry).toBe(false);
  });

  it('ends the entitlement at the expiry instant itself', () => {
    // Act
    const valid = isLicenseValid({ status: 'active', expiresAt: NOW.toISOString() }, NOW);

    // Assess
    expect(valid).toBe(false);
  });

  it.each<LicenseStatus>(['active', 'trial'])('keeps a %s license without expiry valid', (status) => {
    // Act
    const valid = isLicenseValid({ status, expiresAt: null }, NOW);

    // Assess
    expect(valid).toBe(true);
  });

  it.each<LicenseStatus>(['suspended', 'expired', 'cancelled'])(
    'refuses a %s license even before its expiry date',
    (status) => {
      // Act
      const withDate = isLicenseValid({ status, expiresAt: TOMORROW }, NOW);
      const withoutDate = isLicenseValid({ status, expiresAt: null }, NOW);

      // Assess
      expect(withDate).toBe(false);
      expect(withoutDate).toBe(false);
    },
  );
});

describe('licenseExpiry', () => {
  it('never expires a one-off purchase', () => {
    // Act
    const expiry = licenseExpiry('once', NOW);

    // Assess
    expect(expiry).toBeNull();
  });

  it('runs a monthly license to the same day and time next month', () => {
    // Act
    const expiry = licenseExpiry('monthly', new Date('2025-06-15T09:30:00.000Z'));

    // Assess
    expect(expiry?.toISOString()).toBe('2025-07-15T09:30:00.000Z');
  });

  it('runs a monthly license bought in December into January of the next year', () => {
    // Act
    const expiry = licenseExpiry('monthly', new Date('2025-12-15T09:30:00.000Z'));

    // Assess
    expect(expiry?.toISOString()).toBe('2026-01-15T09:30:00.000Z');
  });

  it('runs a yearly license to the same date next year', () => {
    // Act
    const expiry = licenseExpiry('yearly', new Date('2025-03-15T09:30:00.000Z'));

    // Assess
    expect(expiry?.toISOString()).toBe('2026-03-15T09:30:00.000Z');
  });

  it('does not change the purchase date it is given', () => {
    // Prepare
    const purchasedAt = new Date('2025-06-15T09:30:00.000Z');

    // Act
    licenseExpiry('monthly', purchasedAt);
    licenseExpiry('yearly', purchasedAt);

    // Assess
    expect(purchasedAt.toISOString()).toBe('2025-06-15T09:30:00.000Z');
  });

  // Known bug (see report): setUTCMonth(+1) overflows short months, so a license bought on
  // Jan 31 runs until Mar 3 (Mar 2 in leap years) and one bought on Mar 31 until May 1. The usual
  // rule (and what customers expect) is the last day of the next month. Remove `.fails` once fixed.
  describe('at the end of a month', () => {
    it('runs a monthly license bought on Jan 31 to Feb 28', () => {
      // Act
      const expiry = licenseExpiry('monthly', new Date('2025-01-31T10:00:00.000Z'));

      // Assess
      expect(expiry?.toISOString()).toBe('2025-02-28T10:00:00.000Z');
    });

    it('runs a monthly license bought on Jan 31 of a leap year to Feb 29', () => {
      // Act
      const expiry = licenseExpiry('monthly', new Date('2024-01-31T10:00:00.000Z'));

      // Assess
      expect(expiry?.toISOString()).toBe('2024-02-29T10:00:00.000Z');
    });

    it('runs a yearly license bought on Feb 29 to Feb 28 of the next year', () => {
      // Act
      const expiry = licenseExpiry('yearly', new Date('2024-02-29T10:00:00.000Z'));

      // Assess
      expect(expiry?.toISOString()).toBe('2025-02-28T10:00:00.000Z');
    });

    it('runs a monthly license bought on Mar 31 to Apr 30, not into May', () => {
      // Act
      const expiry = licenseExpiry('monthly', new Date('2025-03-31T10:00:00.000Z'));

      // Assess
      expect(expiry?.toISOString()).toBe('2025-04-30T10:00:00.000Z');
    });
  });
});
