// Bundle price (seeds/002 `Bundle.total_price_cents`): the sum of the plugin prices for the
// bundle's project type and billing cycle, minus the bundle's discount, rounded down to a cent.

export const BILLING_CYCLES = ['once', 'monthly', 'yearly'] as const;
export type BillingCycle = (typeof BILLING_CYCLES)[number];

export interface PluginPriceLike {
  plugin: string;
  projectType: string;
  billingCycle: BillingCycle;
  priceCents: number;
}

export function bundlePriceCents(
  bundle: { projectType: string; billingCycle: BillingCycle; plugins: string[]; discountPercent: number },
  prices: PluginPriceLike[],
): number {
  let total = 0;
  for (const plugin of bundle.plugins) {
    const price = prices.find(
      (p) =>
        p.plugin === plugin && p.projectType === bundle.projectType && p.billingCycle === bundle.billingCycle,
    );
    if (price) total += price.priceCents;
  }
  const discount = Math.min(Math.max(bundle.discountPercent, 0), 100);
  return Math.floor((total * (100 - discount)) / 100);
}
