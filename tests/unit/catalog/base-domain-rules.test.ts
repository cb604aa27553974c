import { describe, expect, it } from 'vitest';
import { planAddBaseDomain, planChangeBaseDomain } from '../../../shared/catalog/base-domain-rules.js';
import type { BaseDomain } from '../../../shared/catalog/catalog-table.js';

const base = (domain: string, more: Partial<BaseDomain> = {}): BaseDomain => ({
  domain,
  displayName: domain,
  isDefault: false,
  isActive: true,
  sortOrder: 1,
  ...more,
});
const all = [base('vrs.gmbh', { isDefault: true }), base('vrs.tel'), base('alt.de', { isActive: false })];

describe('planAddBaseDomain', () => {
  it('adds a non-default domain alone', () => {
    expect(planAddBaseDomain(all, 'neu.de', false)).toEqual({
      writes: [{ domain: 'neu.de', set: { isActive: true, isDefault: false }, expect: 'absent' }],
    });
  });

  it('moves the default in the same writes: the old default loses the flag on condition it still has it', () => {
    expect(planAddBaseDomain(all, 'neu.de', true)).toEqual({
      writes: [
        { domain: 'neu.de', set: { isActive: true, isDefault: true }, expect: 'absent' },
        { domain: 'vrs.gmbh', set: { isDefault: false }, expect: { isDefault: true } },
      ],
    });
  });

  it('makes the first base domain the default', () => {
    expect(planAddBaseDomain([], 'vrs.gmbh', false)).toEqual({
      writes: [{ domain: 'vrs.gmbh', set: { isActive: true, isDefault: true }, expect: 'absent' }],
    });
  });

  it('refuses a domain that exists (409)', () => {
    expect(planAddBaseDomain(all, 'vrs.tel', false)).toEqual({
      conflicts: [expect.objectContaining({ path: 'domain' })],
    });
  });
});

describe('planChangeBaseDomain', () => {
  const [def, other, inactive] = all as [BaseDomain, BaseDomain, BaseDomain];

  it('switches the default: one new default, the old one unset, exactly one at a time', () => {
    expect(planChangeBaseDomain(all, other, { isDefault: true })).toEqual({
      writes: [
        { domain: 'vrs.tel', set: { isDefault: true }, expect: { isActive: true, isDefault: false } },
        { domain: 'vrs.gmbh', set: { isDefault: false }, expect: { isDefault: true } },
      ],
    });
  });

  it('deactivates a non-default domain', () => {
    expect(planChangeBaseDomain(all, other, { isActive: false })).toEqual({
      writes: [{ domain: 'vrs.tel', set: { isActive: false }, expect: { isActive: true, isDefault: false } }],
    });
  });

  it('refuses to leave no default: deactivating or un-defaulting the default', () => {
    expect(planChangeBaseDomain(all, def, { isActive: false })).toEqual({
      conflicts: [expect.objectContaining({ path: 'isActive' })],
    });
    expect(planChangeBaseDomain(all, def, { isDefault: false })).toEqual({
      conflicts: [expect.objectContaining({ path: 'isDefault' })],
    });
  });

  it('refuses an inactive default, unless it is activated in the same change', () => {
    expect(planChangeBaseDomain(all, inactive, { isDefault: true })).toEqual({
      conflicts: [expect.objectContaining({ path: 'isDefault' })],
    });
    expect(planChangeBaseDomain(all, inactive, { isDefault: true, isActive: true })).toEqual({
      writes: [
        {
          domain: 'alt.de',
          set: { isActive: true, isDefault: true },
          expect: { isActive: false, isDefault: false },
        },
        { domain: 'vrs.gmbh', set: { isDefault: false }, expect: { isDefault: true } },
      ],
    });
  });

  it('making the default the default again writes only the target (nothing to unset)', () => {
    expect(planChangeBaseDomain(all, def, { isDefault: true })).toEqual({
      writes: [{ domain: 'vrs.gmbh', set: {}, expect: { isActive: true, isDefault: true } }],
    });
  });
});
