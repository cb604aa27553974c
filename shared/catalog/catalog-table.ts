import { BatchGetCommand, type BatchGetCommandOutput, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ExternalServiceError } from '../platform/errors.js';
import { db, fromItem, queryAll, table } from '../platform/table/db.js';
import type { BillingCycle } from './pricing.js';

// Catalog entities: project types, plugins (+ versions, prices), bundles, base domains.
// Access patterns (keys):
//   list project types            pk=CATALOG  sk begins_with PROJECTTYPE#
//   get project type by code      pk=CATALOG  sk=PROJECTTYPE#<code>
//   list plugins / get plugin     pk=CATALOG  sk begins_with PLUGIN# / sk=PLUGIN#<name>
//   list bundles (of a type)      pk=CATALOG  sk begins_with BUNDLE# / BUNDLE#<type>#
//   get bundle                    pk=CATALOG  sk=BUNDLE#<type>#<code>
//   list / get base domains       pk=CATALOG  sk begins_with BASEDOMAIN# / sk=BASEDOMAIN#<domain>
//   versions of a plugin          pk=PLUGIN#<name>  sk begins_with VERSION#  (zero-padded, sorts by semver)
//   price of plugin for type      pk=PLUGIN#<name>  sk=PRICE#<type>#<cycle>
//   list / get TLD prices         pk=CATALOG  sk begins_with TLD# / sk=TLD#<tld in punycode>

/** Where a project type's satellite application comes from in Coolify. */
export type AppSource =
  | { kind: 'docker-image'; image: string; tag: string; port: number }
  | {
      kind: 'git-deploy-key';
      repository: string;
      branch: string;
      buildPack: 'nixpacks' | 'dockerfile' | 'static' | 'railpack';
      privateKeyUuid: string;
      port: number;
    }
  | {
      kind: 'git-public';
      repository: string;
      branch: string;
      buildPack: 'nixpacks' | 'dockerfile' | 'static' | 'railpack';
      port: number;
    };

export interface ProjectType {
  code: string;
  name: string;
  hasTrial: boolean;
  trialDays: number;
  appSource: AppSource;
}

export interface Plugin {
  name: string;
  displayName: string;
  description: string;
  latestVersion: string | null;
  /** Plugins this one needs (its manifest's `requires`); absent on items seeded before it existed. */
  requires?: string[];
  /** When a version of it was last released (any channel): caches of its version list go by it. */
  releasedAt?: string;
}

export interface PluginVersion {
  plugin: string;
  version: string;
  s3Key: string;
  sha256: string;
  sizeBytes: number;
  channel: 'stable' | 'beta' | 'alpha';
  releasedAt: string;
  /** Plugins this version needs (its manifest's `requires`); absent on items seeded before it existed. */
  requires?: string[];
  /** Staff who published it (absent on seeded versions). */
  publishedBy?: string;
}

export interface PluginPrice {
  plugin: string;
  projectType: string;
  billingCycle: BillingCycle;
  priceCents: number;
}

export interface Bundle {
  code: string;
  name: string;
  description: string;
  projectType: string;
  plugins: string[];
  billingCycle: BillingCycle;
  discountPercent: number;
  isDefault: boolean;
  isActive: boolean;
  sortOrder: number;
}

export interface BaseDomain {
  domain: string;
  displayName: string;
  isDefault: boolean;
  isActive: boolean;
  sortOrder: number;
}

/** What we charge for a domain of a TLD (we sell only TLDs with an active price), per year. */
export interface TldPrice {
  /** Punycode, without a dot: `de`, `xn--vermgensberater-ctb`. */
  tld: string;
  registerCents: number;
  renewCents: number;
  transferCents: number;
  isActive: boolean;
  updatedAt: string;
  updatedBy: string;
}

const CATALOG = 'CATALOG';

export const catalogKeys = {
  projectType: (code: string) => ({ pk: CATALOG, sk: `PROJECTTYPE#${code}` }),
  plugin: (name: string) => ({ pk: CATALOG, sk: `PLUGIN#${name}` }),
  bundle: (projectType: string, code: string) => ({ pk: CATALOG, sk: `BUNDLE#${projectType}#${code}` }),
  baseDomain: (domain: string) => ({ pk: CATALOG, sk: `BASEDOMAIN#${domain}` }),
  pluginVersion: (plugin: string, version: string) => ({
    pk: `PLUGIN#${plugin}`,
    sk: `VERSION#${padVersion(version)}`,
  }),
  pluginPrice: (plugin: string, projectType: string, cycle: BillingCycle) => ({
    pk: `PLUGIN#${plugin}`,
    sk: `PRICE#${projectType}#${cycle}`,
  }),
  tldPrice: (tld: string) => ({ pk: CATALOG, sk: `TLD#${tld}` }),
};

/** `1.2.10` → `00001.00002.00010`, so versions sort correctly as strings. */
export function padVersion(version: string): string {
  return version
    .split('.')
    .map((p) => p.padStart(5, '0'))
    .join('.');
}

function queryCatalog<T>(prefix: string): Promise<T[]> {
  return queryAll<T>({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
    ExpressionAttributeValues: { ':pk': CATALOG, ':p': prefix },
  });
}

async function getItem<T>(key: { pk: string; sk: string }): Promise<T | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: key }));
  return out.Item ? fromItem<T>(out.Item) : undefined;
}

export const listProjectTypes = () => queryCatalog<ProjectType>('PROJECTTYPE#');
export const getProjectType = (code: string) => getItem<ProjectType>(catalogKeys.projectType(code));
export const listPlugins = () => queryCatalog<Plugin>('PLUGIN#');
export const getPlugin = (name: string) => getItem<Plugin>(catalogKeys.plugin(name));
export const listBundles = (projectType?: string) =>
  queryCatalog<Bundle>(projectType ? `BUNDLE#${projectType}#` : 'BUNDLE#');
export const getBundle = (projectType: string, code: string) =>
  getItem<Bundle>(catalogKeys.bundle(projectType, code));
export const listBaseDomains = () => queryCatalog<BaseDomain>('BASEDOMAIN#');
export const getBaseDomain = (domain: string) => getItem<BaseDomain>(catalogKeys.baseDomain(domain));
export const listTldPrices = () => queryCatalog<TldPrice>('TLD#');
export const getTldPrice = (tld: string) => getItem<TldPrice>(catalogKeys.tldPrice(tld));

/** Staff set a TLD's prices (a new TLD, or new prices for one we sell). */
export async function putTldPrice(price: TldPrice): Promise<void> {
  await db().send(
    new PutCommand({
      TableName: table(),
      Item: { ...catalogKeys.tldPrice(price.tld), entity: 'TldPrice', ...price },
    }),
  );
}

export const getPluginVersion = (plugin: string, version: string) =>
  getItem<PluginVersion>(catalogKeys.pluginVersion(plugin, version));

/** Every released version of a plugin, any channel (version-channels.ts picks the one offered). */
export const listPluginVersions = (plugin: string) =>
  queryAll<PluginVersion>({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
    ExpressionAttributeValues: { ':pk': `PLUGIN#${plugin}`, ':p': 'VERSION#' },
  });

const BATCH_GET_ATTEMPTS = 5;
const BATCH_GET_BASE_DELAY_MS = 25;

/**
 * Gets many items of one kind (BatchGet, ≤ 100 keys per call). Keys DynamoDB leaves unprocessed
 * (throttling) are asked again with growing, jittered waits; still unprocessed after that is an
 * error — a partial answer would look like missing items (e.g. a plugin without a price).
 */
async function batchGet<T>(keys: { pk: string; sk: string }[]): Promise<T[]> {
  const unique = [...new Map(keys.map((k) => [`${k.pk}|${k.sk}`, k])).values()];
  const found: T[] = [];
  for (let i = 0; i < unique.length; i += 100) {
    let pending: Record<string, unknown>[] = unique.slice(i, i + 100);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt === BATCH_GET_ATTEMPTS) {
        throw new ExternalServiceError(
          'aws',
          `DynamoDB left ${pending.length} keys unprocessed after ${BATCH_GET_ATTEMPTS} attempts`,
          true,
        );
      }
      if (attempt > 0) await sleep(Math.random() * BATCH_GET_BASE_DELAY_MS * 2 ** attempt);
      const out: BatchGetCommandOutput = await db().send(
        new BatchGetCommand({ RequestItems: { [table()]: { Keys: pending } } }),
      );
      for (const it of out.Responses?.[table()] ?? []) found.push(fromItem<T>(it));
      pending = out.UnprocessedKeys?.[table()]?.Keys ?? [];
    }
  }
  return found;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function getPluginsByName(names: string[]): Promise<Plugin[]> {
  return batchGet<Plugin>(names.map(catalogKeys.plugin));
}

export function getPrices(
  plugins: string[],
  projectType: string,
  cycle: BillingCycle,
): Promise<PluginPrice[]> {
  return batchGet<PluginPrice>(plugins.map((p) => catalogKeys.pluginPrice(p, projectType, cycle)));
}

/** Prices of many bundles at once: every (plugin, type, cycle) the bundles need. */
export function getPricesForBundles(bundles: Bundle[]): Promise<PluginPrice[]> {
  return batchGet<PluginPrice>(
    bundles.flatMap((b) => b.plugins.map((p) => catalogKeys.pluginPrice(p, b.projectType, b.billingCycle))),
  );
}
