import { describe, expect, it } from 'vitest';
import {
  graceChanges,
  type LicensePeriod,
  paidPeriodChanges,
} from '../../../shared/licensing/license-periods.js';

const lic = (
  plugin: string,
  status: LicensePeriod['status'],
  expiresAt: string | null,
  billingCycle: LicensePeriod['billingCycle'] = 'monthly',
): LicensePeriod => ({
  plugin,
  status,
  billingCycle,
  expiresAt,
});

describe('a paid period', () => {
  const end = '2027-01-01T00:00:00.000Z';

  it('extends recurring licenses to its end and turns trial ones active', () => {
    const changes = paidPeriodChanges(
      [
        lic('a', 'active', '2026-12-01T00:00:00.000Z'),
        lic('b', 'trial', '2026-12-15T00:00:00.000Z'),
        lic('c', 'active', null, 'once'),
        lic('d', 'cancelled', '2026-12-01T00:00:00.000Z'),
        lic('e', 'active', '2027-02-01T00:00:00.000Z'),
        lic('f', 'suspended', '2026-12-01T00:00:00.000Z'),
      ],
      end,
    );
    expect(changes.map((c) => [c.plugin, c.to.status, c.to.expiresAt, c.action])).toEqual([
      ['a', 'active', end, 'extended'],
      ['b', 'active', end, 'activated'],
      ['f', 'suspended', end, 'extended'],
    ]);
  });

  it('changes nothing the second time (a replayed event)', () => {
    expect(paidPeriodChanges([lic('a', 'active', end)], end)).toEqual([]);
  });
});

describe('a failed payment', () => {
  it('keeps licenses in use valid through the grace', () => {
    const grace = '2026-12-08T00:00:00.000Z';
    const changes = graceChanges(
      [
        lic('a', 'active', '2026-12-01T00:00:00.000Z'),
        lic('b', 'suspended', '2026-12-01T00:00:00.000Z'),
        lic('c', 'active', '2027-01-01T00:00:00.000Z'),
      ],
      grace,
    );
    expect(changes.map((c) => [c.plugin, c.to.expiresAt])).toEqual([['a', grace]]);
  });
});
