import { describe, expect, it } from 'vitest';
import { bundlePriceCents, type PluginPriceLike } from '../../../shared/catalog/pricing.js';

// Prices as the catalog stores them: one row per plugin, project type and billing cycle.
const PRICES: PluginPriceLike[] = [
  { plugin: 'kontakt', projectType: 'business_directory', billingCycle: 'monthly', priceCents: 990 },
  { plugin: 'kontakt', projectType: 'business_directory', billingCycle: 'yearly', priceCents: 9900 },
  { plugin: 'kontakt', projectType: 'webshop', billingCycle: 'monthly', priceCents: 1490 },
  { plugin: 'bewertungen', projectType: 'business_directory', billingCycle: 'monthly', priceCents: 1490 },
  { plugin: 'karte', projectType: 'business_directory', billingCycle: 'monthly', priceCents: 499 },
];

const bundle = (plugins: string[], discountPercent: number) => ({
  projectType: 'business_directory',
  billingCycle: 'monthly' as const,
  plugins,
  discountPercent,
});

describe('bundlePriceCents', () => {
  it('sums the plugin prices for the bundle’s project type and billing cycle', () => {
    // Act
    const price = bundlePriceCents(bundle(['kontakt', 'bewertungen'], 0), PRICES);

    // Assess
    expect(price).toBe(990 + 1490);
  });

  it('ignores prices for other project types and other billing cycles', () => {
    // Prepare
    const yearly = { ...bundle(['kontakt'], 0), billingCycle: 'yearly' as const };

    // Act
    const monthlyPrice = bundlePriceCents(bundle(['kontakt'], 0), PRICES);
    const yearlyPrice = bundlePriceCents(yearly, PRICES);

    // Assess
    expect(monthlyPrice).toBe(990);
    expect(yearlyPrice).toBe(9900);
  });

  it('takes the discount off the sum', () => {
    // Act
    const price = bundlePriceCents(bundle(['kontakt', 'bewertungen'], 20), PRICES);

    // Assess
    expect(price).toBe(1984); // 2480 − 20 %
  });

  it('rounds down to a whole cent, never in the shop’s favour', () => {
    // Act
    const price = bundlePriceCents(bundle(['kontakt', 'bewertungen', 'karte'], 15), PRICES);

    // Assess
    expect(price).toBe(2532); // 2979 × 0.85 = 2532.15
  });

  it('counts a plugin without a price for that type and cycle as 0', () => {
    // Act
    const price = bundlePriceCents(bundle(['kontakt', 'galerie'], 0), PRICES);

    // Assess
    expect(price).toBe(990);
  });

  it('costs nothing when no plugin has a price', () => {
    // Act
    const price = bundlePriceCents(bundle(['galerie'], 10), PRICES);

    // Assess
    expect(price).toBe(0);
  });

  it('treats a negative discount as none rather than a surcharge', () => {
    // Act
    const price = bundlePriceCents(bundle(['kontakt'], -10), PRICES);

    // Assess
    expect(price).toBe(990);
  });

  it('caps the discount at 100 %, so a price never goes negative', () => {
    // Act
    const full = bundlePriceCents(bundle(['kontakt'], 100), PRICES);
    const over = bundlePriceCents(bundle(['kontakt'], 150), PRICES);

    // Assess
    expect(full).toBe(0);
    expect(over).toBe(0);
  });
});
