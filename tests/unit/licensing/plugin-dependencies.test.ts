import { describe, expect, it } from 'vitest';
import {
  missingRequirements,
  unlicensedRequirements,
} from '../../../shared/licensing/plugin-dependencies.js';

const catalog: Record<string, string[]> = {
  kontakt: [],
  crm: ['kontakt'],
  pim: [],
  katalog: ['pim'],
  shop: ['katalog'],
  a: ['b'],
  b: ['a'],
  kaputt: ['fehlt'],
};
const requiresOf = (p: string) => catalog[p];

describe('missing plugin requirements', () => {
  it('adds what is needed, transitively, once, naming who needs it', () => {
    expect(missingRequirements(['shop', 'crm'], requiresOf).added).toEqual([
      { plugin: 'katalog', requiredBy: 'shop' },
      { plugin: 'kontakt', requiredBy: 'crm' },
      { plugin: 'pim', requiredBy: 'katalog' },
    ]);
  });

  it('adds nothing when the selection is complete, and survives a cycle', () => {
    expect(missingRequirements(['crm', 'kontakt'], requiresOf)).toEqual({ added: [], unknown: [] });
    expect(missingRequirements(['a'], requiresOf).added).toEqual([{ plugin: 'b', requiredBy: 'a' }]);
  });

  it('reports a requirement the catalog does not know', () => {
    expect(missingRequirements(['kaputt'], requiresOf).unknown).toEqual([
      { plugin: 'fehlt', requiredBy: 'kaputt' },
    ]);
  });
});

describe('requirements a download finds unlicensed', () => {
  const licenses = [
    { plugin: 'kontakt', valid: true },
    { plugin: 'pim', valid: false },
  ];
  it('names each required plugin without a valid license, in the order required', () => {
    expect(unlicensedRequirements(['pim', 'kontakt', 'katalog'], licenses, (l) => l.valid)).toEqual([
      'pim',
      'katalog',
    ]);
    expect(unlicensedRequirements(['kontakt'], licenses, (l) => l.valid)).toEqual([]);
    expect(unlicensedRequirements([], [], () => true)).toEqual([]);
  });
});
