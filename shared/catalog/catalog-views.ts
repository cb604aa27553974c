import {
  getPricesForBundles,
  listBaseDomains,
  listBundles,
  listPlugins,
  listProjectTypes,
} from './catalog-table.js';
import { offeredVersions } from './plugin-versions.js';
import { bundlePriceCents } from './pricing.js';
import { PUBLIC_AUDIENCE } from './version-channels.js';

// The public catalog (contract: "Public catalog"). Lists are small and complete: one page each.

const page = <T>(items: T[]) => ({ items, nextCursor: null });

export async function projectTypesView() {
  const types = await listProjectTypes();
  return page(
    types.map((t) => ({ code: t.code, name: t.name, hasTrial: t.hasTrial, trialDays: t.trialDays })),
  );
}

export async function bundlesView(projectType?: string) {
  const bundles = (await listBundles(projectType))
    .filter((b) => b.isActive)
    .sort((a, b) => a.sortOrder - b.sortOrder);
  const prices = await getPricesForBundles(bundles);
  return page(
    bundles.map((b) => ({
      code: b.code,
      name: b.name,
      projectType: b.projectType,
      plugins: b.plugins,
      billingCycle: b.billingCycle,
      discountPercent: b.discountPercent,
      priceCents: bundlePriceCents(b, prices),
    })),
  );
}

export async function pluginsView() {
  const plugins = await listPlugins();
  // The public catalog offers what an ordinary project gets: the newest stable version.
  const versions = await offeredVersions(
    plugins.map((p) => p.name),
    PUBLIC_AUDIENCE,
  );
  return page(
    plugins.map((p) => ({
      name: p.name,
      displayName: p.displayName,
      description: p.description,
      latestVersion: versions.get(p.name)?.version ?? null,
      requires: p.requires ?? [],
    })),
  );
}

export async function baseDomainsView() {
  const domains = (await listBaseDomains())
    .filter((d) => d.isActive)
    .sort((a, b) => a.sortOrder - b.sortOrder);
  return page(domains.map((d) => ({ domain: d.domain, displayName: d.displayName, isDefault: d.isDefault })));
}
