import { describe, expect, it } from 'vitest';
import {
  isDailyRefreshDue,
  missingAtRegistry,
  registryChanges,
  utcDay,
} from '../../../shared/domains/registry-refresh.js';

// domain-sync's daily part: once per UTC day, the registry's expiry and renewal mode for each live
// domain, and the live domains the registry no longer lists.

describe('utcDay / isDailyRefreshDue', () => {
  it('is the UTC day, whatever the time zone of the moment', () => {
    expect(utcDay(new Date('2026-03-01T23:59:59+01:00'))).toBe('2026-03-01');
    expect(utcDay(new Date('2026-03-02T00:30:00+01:00'))).toBe('2026-03-01');
    expect(utcDay(new Date('2026-03-02T00:00:00Z'))).toBe('2026-03-02');
  });

  it('is due on the first run ever and on the first run of a later day, not again that day', () => {
    expect(isDailyRefreshDue(undefined, '2026-03-01')).toBe(true);
    expect(isDailyRefreshDue('2026-02-28', '2026-03-01')).toBe(true);
    expect(isDailyRefreshDue('2026-03-01', '2026-03-01')).toBe(false);
    // A run acting as if later (a test's `now`) does not make an earlier day due again.
    expect(isDailyRefreshDue('2026-03-02', '2026-03-01')).toBe(false);
  });
});

describe('registryChanges', () => {
  const atRegistry = { expiresAt: '2027-03-01T10:00:00.000Z', renewalMode: 'AUTORENEW' };

  it('is null when the stored domain says what the registry says (in any ISO form)', () => {
    expect(registryChanges(atRegistry, atRegistry)).toBeNull();
    expect(registryChanges({ ...atRegistry, expiresAt: '2027-03-01T10:00:00Z' }, atRegistry)).toBeNull();
  });

  it('names only what changed: a renewal moves the expiry, staff may change the renewal mode', () => {
    expect(registryChanges(atRegistry, { ...atRegistry, expiresAt: '2028-03-01T10:00:00.000Z' })).toEqual({
      expiresAt: '2028-03-01T10:00:00.000Z',
    });
    expect(registryChanges(atRegistry, { ...atRegistry, renewalMode: 'AUTODELETE' })).toEqual({
      renewalMode: 'AUTODELETE',
    });
  });

  it('fills what we did not know (an owned domain had no renewal mode, an order no expiry)', () => {
    expect(registryChanges({ expiresAt: null }, atRegistry)).toEqual(atRegistry);
  });

  it('never erases what we know when the registry leaves a value out', () => {
    expect(registryChanges(atRegistry, { expiresAt: null, renewalMode: null })).toBeNull();
  });
});

describe('missingAtRegistry', () => {
  it('lists the live domains the account does not hold', () => {
    const live = [{ domain: 'da.de' }, { domain: 'weg.de' }, { domain: 'xn--mller-kva.de' }];
    const inAccount = new Map([
      ['da.de', {}],
      ['xn--mller-kva.de', {}],
      ['nur-bei-inwx.de', {}],
    ]);
    expect(missingAtRegistry(live, inAccount)).toEqual([{ domain: 'weg.de' }]);
    expect(missingAtRegistry([], inAccount)).toEqual([]);
  });
});
