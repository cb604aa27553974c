import { describe, expect, it } from 'vitest';
import {
  decideLicenseChange,
  hasReached,
  invoicePaymentExtensions,
  type LicenseState,
  nextCycleEnd,
  type ProjectLicenseContext,
} from '../../../shared/licensing/license-changes.js';

const NOW = new Date('2025-06-15T12:00:00.000Z');
const IN_TEN_DAYS = '2025-06-25T12:00:00.000Z';
const LAST_WEEK = '2025-06-08T12:00:00.000Z';
const NEXT_YEAR = '2026-06-15T12:00:00.000Z';

const license = (fields: Partial<LicenseState> = {}): LicenseState => ({
  plugin: 'kontakt',
  status: 'active',
  billingCycle: 'monthly',
  expiresAt: IN_TEN_DAYS,
  ...fields,
});
const ACTIVE_PROJECT: ProjectLicenseContext = { status: 'active' };

describe('decideLicenseChange: activate', () => {
  it.each(['suspended', 'expired', 'cancelled', 'trial'] as const)(
    'activates a %s license and keeps its future expiry',
    (status) => {
      // Act
      const decision = decideLicenseChange(license({ status }), ACTIVE_PROJECT, { action: 'activate' }, NOW);

      // Assess
      expect(decision).toEqual({
        outcome: 'change',
        to: { status: 'active', expiresAt: IN_TEN_DAYS },
        releaseFromSuspension: false,
      });
    },
  );

  it('refuses to activate a license whose expiry has passed without until (422)', () => {
    // Act
    const decision = decideLicenseChange(
      license({ status: 'expired', expiresAt: LAST_WEEK }),
      ACTIVE_PROJECT,
      { action: 'activate' },
      NOW,
    );

    // Assess
    expect(decision).toMatchObject({ outcome: 'refused', code: 'expired-needs-until', kind: 'not-possible' });
  });

  it('activates until a given time, normalised to UTC milliseconds', () => {
    // Act
    const decision = decideLicenseChange(
      license({ status: 'expired', expiresAt: LAST_WEEK }),
      ACTIVE_PROJECT,
      { action: 'activate', until: '2026-06-15T12:00:00Z' },
      NOW,
    );

    // Assess
    expect(decision).toMatchObject({ outcome: 'change', to: { status: 'active', expiresAt: NEXT_YEAR } });
  });

  it('answers unchanged for an active license (a repeated request writes nothing)', () => {
    // Act
    const plain = decideLicenseChange(license(), ACTIVE_PROJECT, { action: 'activate' }, NOW);
    const sameUntil = decideLicenseChange(
      license(),
      ACTIVE_PROJECT,
      { action: 'activate', until: '2025-06-25T12:00:00Z' },
      NOW,
    );

    // Assess
    expect(plain).toEqual({ outcome: 'unchanged' });
    expect(sameUntil).toEqual({ outcome: 'unchanged' });
  });

  it('refuses any change in an archived project (409)', () => {
    // Act
    const decisions = (['activate', 'suspend', 'extend'] as const).map((action) =>
      decideLicenseChange(license({ status: 'cancelled' }), { status: 'archived' }, { action }, NOW),
    );

    // Assess
    for (const d of decisions) expect(d).toMatchObject({ code: 'project-archived', kind: 'conflict' });
  });

  it('waits for an open lifecycle request, except to extend', () => {
    // Arrange
    const project: ProjectLicenseContext = { status: 'active', lifecycleRequest: { action: 'suspend' } };

    // Act
    const activate = decideLicenseChange(
      license({ status: 'suspended' }),
      project,
      { action: 'activate' },
      NOW,
    );
    const suspend = decideLicenseChange(license(), project, { action: 'suspend' }, NOW);
    const extend = decideLicenseChange(license(), project, { action: 'extend' }, NOW);

    // Assess
    expect(activate).toMatchObject({ code: 'lifecycle-under-way', kind: 'conflict' });
    expect(activate).toMatchObject({ message: expect.stringContaining('suspend of this project') });
    expect(suspend).toMatchObject({ code: 'lifecycle-under-way' });
    expect(extend).toMatchObject({ outcome: 'change' });
  });

  it('hands a license the project suspension took to staff (the resume leaves it)', () => {
    // Arrange
    const project: ProjectLicenseContext = { status: 'suspended', suspendedLicenses: { kontakt: 'active' } };

    // Act
    const activate = decideLicenseChange(
      license({ status: 'suspended' }),
      project,
      { action: 'activate' },
      NOW,
    );
    // Already suspended, but now by staff: the history records it and the resume will not lift it.
    const suspend = decideLicenseChange(
      license({ status: 'suspended' }),
      project,
      { action: 'suspend' },
      NOW,
    );
    const extend = decideLicenseChange(license({ status: 'suspended' }), project, { action: 'extend' }, NOW);

    // Assess
    expect(activate).toMatchObject({ outcome: 'change', releaseFromSuspension: true });
    expect(suspend).toEqual({
      outcome: 'change',
      to: { status: 'suspended', expiresAt: IN_TEN_DAYS },
      releaseFromSuspension: true,
    });
    expect(extend).toMatchObject({
      outcome: 'change',
      to: { status: 'suspended', expiresAt: '2025-07-25T12:00:00.000Z' },
      releaseFromSuspension: false,
    });
  });
});

describe('decideLicenseChange: suspend', () => {
  it.each(['active', 'trial', 'expired'] as const)('suspends a %s license and keeps its expiry', (status) => {
    // Act
    const decision = decideLicenseChange(license({ status }), ACTIVE_PROJECT, { action: 'suspend' }, NOW);

    // Assess
    expect(decision).toEqual({
      outcome: 'change',
      to: { status: 'suspended', expiresAt: IN_TEN_DAYS },
      releaseFromSuspension: false,
    });
  });

  it('answers unchanged for a suspended license and refuses a cancelled one', () => {
    // Act
    const again = decideLicenseChange(
      license({ status: 'suspended' }),
      ACTIVE_PROJECT,
      { action: 'suspend' },
      NOW,
    );
    const cancelled = decideLicenseChange(
      license({ status: 'cancelled' }),
      ACTIVE_PROJECT,
      { action: 'suspend' },
      NOW,
    );

    // Assess
    expect(again).toEqual({ outcome: 'unchanged' });
    expect(cancelled).toMatchObject({ code: 'license-cancelled', kind: 'conflict' });
  });
});

describe('decideLicenseChange: extend', () => {
  it('extends by one billing cycle from the current expiry while it is in the future', () => {
    // Act
    const monthly = decideLicenseChange(license(), ACTIVE_PROJECT, { action: 'extend' }, NOW);
    const yearly = decideLicenseChange(
      license({ billingCycle: 'yearly' }),
      ACTIVE_PROJECT,
      { action: 'extend' },
      NOW,
    );

    // Assess
    expect(monthly).toMatchObject({ to: { status: 'active', expiresAt: '2025-07-25T12:00:00.000Z' } });
    expect(yearly).toMatchObject({ to: { status: 'active', expiresAt: '2026-06-25T12:00:00.000Z' } });
  });

  it('extends an expired license by one cycle from now and makes it active again', () => {
    // Act
    const decision = decideLicenseChange(
      license({ status: 'expired', expiresAt: LAST_WEEK }),
      ACTIVE_PROJECT,
      { action: 'extend' },
      NOW,
    );

    // Assess
    expect(decision).toMatchObject({ to: { status: 'active', expiresAt: '2025-07-15T12:00:00.000Z' } });
  });

  it('keeps a trial or suspended license in its status', () => {
    // Act
    const trial = decideLicenseChange(
      license({ status: 'trial' }),
      ACTIVE_PROJECT,
      { action: 'extend' },
      NOW,
    );
    const suspended = decideLicenseChange(
      license({ status: 'suspended' }),
      ACTIVE_PROJECT,
      { action: 'extend' },
      NOW,
    );

    // Assess
    expect(trial).toMatchObject({ to: { status: 'trial' } });
    expect(suspended).toMatchObject({ to: { status: 'suspended' } });
  });

  it('extends to until, and answers unchanged when the license already ends then', () => {
    // Act
    const decision = decideLicenseChange(
      license(),
      ACTIVE_PROJECT,
      { action: 'extend', until: NEXT_YEAR },
      NOW,
    );
    const repeat = decideLicenseChange(
      license({ expiresAt: NEXT_YEAR }),
      ACTIVE_PROJECT,
      { action: 'extend', until: NEXT_YEAR },
      NOW,
    );

    // Assess
    expect(decision).toMatchObject({ to: { status: 'active', expiresAt: NEXT_YEAR } });
    expect(repeat).toEqual({ outcome: 'unchanged' });
  });

  it('never shortens a license: until in the past or before the expiry is refused (422)', () => {
    // Act
    const past = decideLicenseChange(license(), ACTIVE_PROJECT, { action: 'extend', until: LAST_WEEK }, NOW);
    const shorter = decideLicenseChange(
      license(),
      ACTIVE_PROJECT,
      { action: 'extend', until: '2025-06-20T12:00:00.000Z' },
      NOW,
    );

    // Assess
    expect(past).toMatchObject({ code: 'until-not-in-future', kind: 'not-possible' });
    expect(shorter).toMatchObject({ code: 'until-shortens', kind: 'not-possible' });
  });

  it('refuses a one-off license (it never expires) and a cancelled one', () => {
    // Act
    const once = decideLicenseChange(
      license({ billingCycle: 'once', expiresAt: null }),
      ACTIVE_PROJECT,
      { action: 'extend' },
      NOW,
    );
    const onceUntil = decideLicenseChange(
      license({ billingCycle: 'once', expiresAt: null }),
      ACTIVE_PROJECT,
      { action: 'activate', until: NEXT_YEAR },
      NOW,
    );
    const cancelled = decideLicenseChange(
      license({ status: 'cancelled' }),
      ACTIVE_PROJECT,
      { action: 'extend' },
      NOW,
    );

    // Assess
    expect(once).toMatchObject({ code: 'never-expires', kind: 'not-possible' });
    expect(onceUntil).toMatchObject({ code: 'never-expires' });
    expect(cancelled).toMatchObject({ code: 'license-cancelled', kind: 'conflict' });
  });
});

describe('nextCycleEnd and hasReached', () => {
  it('counts from the later of now and the expiry, with month ends capped', () => {
    // Act
    const fromExpiry = nextCycleEnd({ billingCycle: 'monthly', expiresAt: '2025-08-31T00:00:00.000Z' }, NOW);
    const fromNow = nextCycleEnd({ billingCycle: 'yearly', expiresAt: LAST_WEEK }, NOW);

    // Assess
    expect(fromExpiry).toBe('2025-09-30T00:00:00.000Z');
    expect(fromNow).toBe('2026-06-15T12:00:00.000Z');
  });

  it('compares expiry instants, not their spelling', () => {
    // Act
    const reached = hasReached(
      { status: 'active', expiresAt: '2026-06-15T12:00:00Z' },
      { status: 'active', expiresAt: NEXT_YEAR },
    );

    // Assess
    expect(reached).toBe(true);
    expect(
      hasReached({ status: 'active', expiresAt: null }, { status: 'active', expiresAt: NEXT_YEAR }),
    ).toBe(false);
  });
});

describe('invoicePaymentExtensions', () => {
  const licenses: LicenseState[] = [
    license({ plugin: 'directory' }),
    license({ plugin: 'kontakt', billingCycle: 'yearly', status: 'expired', expiresAt: LAST_WEEK }),
    license({ plugin: 'galerie', billingCycle: 'once', expiresAt: null }),
    license({ plugin: 'karte', status: 'cancelled' }),
    license({ plugin: 'termine', status: 'suspended' }),
  ];

  it('extends each recurring license that is not cancelled by one cycle; expired ones become active', () => {
    // Act
    const extensions = invoicePaymentExtensions(licenses, NOW);

    // Assess
    expect(extensions).toEqual([
      {
        plugin: 'directory',
        from: { status: 'active', expiresAt: IN_TEN_DAYS },
        to: { status: 'active', expiresAt: '2025-07-25T12:00:00.000Z' },
      },
      {
        plugin: 'kontakt',
        from: { status: 'expired', expiresAt: LAST_WEEK },
        to: { status: 'active', expiresAt: NEXT_YEAR },
      },
      {
        plugin: 'termine',
        from: { status: 'suspended', expiresAt: IN_TEN_DAYS },
        to: { status: 'suspended', expiresAt: '2025-07-25T12:00:00.000Z' },
      },
    ]);
  });

  it('extends to paidUntil, leaving licenses that run past it as they are', () => {
    // Act
    const extensions = invoicePaymentExtensions(
      [
        license({ plugin: 'directory' }),
        license({ plugin: 'kontakt', expiresAt: '2025-08-01T00:00:00.000Z' }),
      ],
      NOW,
      '2025-07-01T00:00:00Z',
    );

    // Assess
    expect(extensions).toEqual([
      {
        plugin: 'directory',
        from: { status: 'active', expiresAt: IN_TEN_DAYS },
        to: { status: 'active', expiresAt: '2025-07-01T00:00:00.000Z' },
      },
    ]);
  });
});
