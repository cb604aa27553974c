import { type Bundle, getPrices } from '../catalog/catalog-table.js';
import { type BillingCycle, bundlePriceCents } from '../catalog/pricing.js';
import { type FieldError, NotAvailableError } from '../platform/errors.js';

// What each licensed plugin of an order costs, from the catalog's prices: ordering and the import
// of a live project license plugins the same way.

const INDIVIDUAL_PLUGIN_CYCLE: BillingCycle = 'monthly';

export interface LicensedPlugin {
  plugin: string;
  cycle: BillingCycle;
  priceCents: number;
}

/**
 * Bundle plugins are billed in the bundle's cycle with its discount; extra plugins monthly. A plugin
 * without a price in its cycle is not for sale there: the order is refused, never licensed for 0.
 */
export async function priceLicenses(
  projectType: string,
  bundle: Bundle | undefined,
  extra: string[],
): Promise<LicensedPlugin[]> {
  const result: LicensedPlugin[] = [];
  const unpriced: FieldError[] = [];
  const noPrice = (plugin: string, cycle: BillingCycle) =>
    `no price for plugin "${plugin}" in cycle "${cycle}"`;
  if (bundle) {
    const prices = await getPrices(bundle.plugins, projectType, bundle.billingCycle);
    for (const plugin of bundle.plugins) {
      if (!prices.some((p) => p.plugin === plugin))
        unpriced.push({ path: 'bundle', message: noPrice(plugin, bundle.billingCycle) });
    }
    // Lines add up to exactly the bundle price the catalog shows; the rounding goes to the first line.
    const lines = bundle.plugins.map((plugin) =>
      bundlePriceCents(
        { ...bundle, plugins: [plugin] },
        prices.filter((p) => p.plugin === plugin),
      ),
    );
    const rounding = bundlePriceCents(bundle, prices) - lines.reduce((a, b) => a + b, 0);
    bundle.plugins.forEach((plugin, i) => {
      result.push({
        plugin,
        cycle: bundle.billingCycle,
        priceCents: (lines[i] ?? 0) + (i === 0 ? rounding : 0),
      });
    });
  }
  const rest = [...new Set(extra)].filter((p) => !result.some((r) => r.plugin === p));
  if (rest.length) {
    const prices = await getPrices(rest, projectType, INDIVIDUAL_PLUGIN_CYCLE);
    for (const plugin of rest) {
      const price = prices.find((p) => p.plugin === plugin);
      if (price) result.push({ plugin, cycle: INDIVIDUAL_PLUGIN_CYCLE, priceCents: price.priceCents });
      else
        unpriced.push({
          path: `plugins.${extra.indexOf(plugin)}`,
          message: noPrice(plugin, INDIVIDUAL_PLUGIN_CYCLE),
        });
    }
  }
  if (unpriced.length) {
    throw new NotAvailableError(`Not for sale: ${unpriced.map((e) => e.message).join('; ')}.`, unpriced);
  }
  return result;
}
