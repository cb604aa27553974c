import { describe, expect, it } from 'vitest';
import { sameTakeover, takeoverLicenses, takeoverRefusal } from '../../../shared/takeover/takeover-rules.js';

describe('takeoverRefusal', () => {
  it('allows only a live demo', () => {
    expect(takeoverRefusal({ isDemo: true, status: 'active' })).toBeNull();
    expect(takeoverRefusal({ isDemo: false, status: 'active' })).toMatch(/not a demo/);
    for (const status of ['provisioning', 'suspended', 'archived', 'error'])
      expect(takeoverRefusal({ isDemo: true, status })).toMatch(`"${status}"`);
  });
});

describe('sameTakeover', () => {
  it('is the same owner (any case) with the same payment method', () => {
    const pending = { ownerEmail: 'Neu@Example.com', paymentMethod: 'stripe_prepaid' as const };
    expect(sameTakeover(pending, { ownerEmail: 'neu@example.com', paymentMethod: 'stripe_prepaid' })).toBe(
      true,
    );
    expect(sameTakeover(pending, { ownerEmail: 'neu@example.com', paymentMethod: 'invoice' })).toBe(false);
    expect(sameTakeover(pending, { ownerEmail: 'other@example.com', paymentMethod: 'stripe_prepaid' })).toBe(
      false,
    );
  });
});

describe('takeoverLicenses', () => {
  const now = new Date('2026-12-01T10:00:00.000Z');

  it('starts a fresh period from now in each license’s cycle; cancelled ones stay out', () => {
    const changes = takeoverLicenses(
      [
        {
          plugin: 'kontakt',
          status: 'active',
          billingCycle: 'monthly',
          expiresAt: '2026-12-20T00:00:00.000Z',
        },
        { plugin: 'karte', status: 'suspended', billingCycle: 'yearly', expiresAt: null },
        { plugin: 'logo', status: 'active', billingCycle: 'once', expiresAt: null },
        { plugin: 'alt', status: 'cancelled', billingCycle: 'monthly', expiresAt: null },
      ],
      now,
    );
    expect(changes).toEqual([
      {
        plugin: 'kontakt',
        from: 'active',
        fromExpiresAt: '2026-12-20T00:00:00.000Z',
        to: 'active',
        expiresAt: '2027-01-01T10:00:00.000Z',
      },
      {
        plugin: 'karte',
        from: 'suspended',
        fromExpiresAt: null,
        to: 'active',
        expiresAt: '2027-12-01T10:00:00.000Z',
      },
      { plugin: 'logo', from: 'active', fromExpiresAt: null, to: 'active', expiresAt: null },
    ]);
  });
});
