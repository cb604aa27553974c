import type {
  AppSource,
  BaseDomain,
  Bundle,
  Plugin,
  PluginPrice,
  ProjectType,
  TldPrice,
} from '../../shared/catalog/catalog-table.js';

// The catalog a fresh local stack starts with: the project types, plugins and bundles of the
// seeds (000 §3, §8.1), German names as the customers see them, a base domain and two servers.

const vrsCore: AppSource = {
  kind: 'docker-image',
  image: 'ghcr.io/vrs-gmbh/vrs-core',
  tag: 'stable',
  port: 8000,
};

export const projectTypes: ProjectType[] = [
  {
    code: 'business_directory',
    name: 'Branchenverzeichnis',
    hasTrial: true,
    trialDays: 14,
    appSource: vrsCore,
  },
  { code: 'einzelkunde', name: 'Einzelkunden-Website', hasTrial: true, trialDays: 14, appSource: vrsCore },
  {
    code: 'hersteller_portal',
    name: 'Herstellerportal',
    hasTrial: false,
    trialDays: 0,
    appSource: {
      kind: 'git-deploy-key',
      repository: 'git@github.com:vrs-gmbh/vrs-core.git',
      branch: 'main',
      buildPack: 'dockerfile',
      privateKeyUuid: 'local-deploy-key',
      port: 8000,
    },
  },
  { code: 'city_server', name: 'City Server', hasTrial: false, trialDays: 0, appSource: vrsCore },
];

interface PluginSeed extends Omit<Plugin, 'latestVersion'> {
  version: string;
  monthlyCents: number;
  requires: string[];
}

export const pluginSeeds: PluginSeed[] = [
  {
    name: 'kontakt',
    displayName: 'Kontakt',
    description: 'Kontaktformulare mit Spamschutz und Anfrage-Postfach.',
    version: '1.4.2',
    monthlyCents: 900,
    requires: [],
  },
  {
    name: 'directory',
    displayName: 'Verzeichnis',
    description: 'Branchen- und Firmeneinträge mit Suche, Kategorien und Karten.',
    version: '2.1.0',
    monthlyCents: 2900,
    requires: [],
  },
  {
    name: 'crm',
    displayName: 'CRM',
    description: 'Kontakte, Firmen, Aufgaben und Verkaufschancen.',
    version: '1.2.0',
    monthlyCents: 1900,
    requires: ['kontakt'],
  },
  {
    name: 'pim',
    displayName: 'PIM',
    description: 'Produktdaten zentral pflegen, mit Varianten und Medien.',
    version: '1.0.3',
    monthlyCents: 2400,
    requires: [],
  },
  {
    name: 'katalog',
    displayName: 'Katalog',
    description: 'Produktkataloge aus dem PIM, online und als PDF.',
    version: '1.1.0',
    monthlyCents: 1500,
    requires: ['pim'],
  },
  {
    name: 'shop',
    displayName: 'Shop',
    description: 'Onlineshop mit Warenkorb, Versand und Zahlungsarten.',
    version: '0.9.1',
    monthlyCents: 3900,
    requires: ['katalog'],
  },
  {
    name: 'events',
    displayName: 'Veranstaltungen',
    description: 'Veranstaltungskalender mit Anmeldungen.',
    version: '1.0.0',
    monthlyCents: 1200,
    requires: [],
  },
  {
    name: 'newsletter',
    displayName: 'Newsletter',
    description: 'Newsletter mit Double-Opt-in und Vorlagen.',
    version: '1.3.0',
    monthlyCents: 1400,
    requires: ['kontakt'],
  },
];

/** Per project type a price factor: a manufacturer portal or city server pays more per plugin. */
const typeFactor: Record<string, number> = {
  business_directory: 1,
  einzelkunde: 0.8,
  hersteller_portal: 1.5,
  city_server: 2,
};

export function pluginPrices(): PluginPrice[] {
  return pluginSeeds.flatMap((p) =>
    projectTypes.flatMap((t) => {
      const monthly = Math.round((p.monthlyCents * (typeFactor[t.code] ?? 1)) / 100) * 100;
      return [
        { plugin: p.name, projectType: t.code, billingCycle: 'monthly' as const, priceCents: monthly },
        { plugin: p.name, projectType: t.code, billingCycle: 'yearly' as const, priceCents: monthly * 10 },
      ];
    }),
  );
}

const bundle = (b: Omit<Bundle, 'isActive' | 'description'> & { description?: string }): Bundle => ({
  isActive: true,
  description: b.description ?? '',
  ...b,
});

export const bundles: Bundle[] = [
  bundle({
    code: 'verzeichnis-basic',
    name: 'Verzeichnis Basic',
    projectType: 'business_directory',
    plugins: ['directory', 'kontakt'],
    billingCycle: 'monthly',
    discountPercent: 0,
    isDefault: true,
    sortOrder: 1,
  }),
  bundle({
    code: 'verzeichnis-pro',
    name: 'Verzeichnis Pro',
    projectType: 'business_directory',
    plugins: ['directory', 'kontakt', 'crm', 'pim'],
    billingCycle: 'monthly',
    discountPercent: 10,
    isDefault: false,
    sortOrder: 2,
  }),
  bundle({
    code: 'website-basic',
    name: 'Website Basic',
    projectType: 'einzelkunde',
    plugins: ['kontakt'],
    billingCycle: 'monthly',
    discountPercent: 0,
    isDefault: true,
    sortOrder: 1,
  }),
  bundle({
    code: 'hersteller-katalog',
    name: 'Hersteller Katalog',
    projectType: 'hersteller_portal',
    plugins: ['pim', 'katalog', 'kontakt'],
    billingCycle: 'yearly',
    discountPercent: 15,
    isDefault: true,
    sortOrder: 1,
  }),
  bundle({
    code: 'city-basic',
    name: 'City Basic',
    projectType: 'city_server',
    plugins: ['directory', 'events', 'kontakt'],
    billingCycle: 'monthly',
    discountPercent: 5,
    isDefault: true,
    sortOrder: 1,
  }),
];

export const baseDomains: BaseDomain[] = [
  { domain: 'vrs.gmbh', displayName: 'VRS GmbH', isDefault: true, isActive: true, sortOrder: 1 },
];

/**
 * The TLDs we sell at launch and our yearly prices in cents (register, renew, transfer); staff
 * change them through the API, and a later seed never overwrites them.
 */
const TLD_PRICES: [tld: string, register: number, renew: number, transfer: number][] = [
  ['de', 1200, 1200, 1200],
  ['com', 1800, 1800, 1800],
  ['net', 2000, 2000, 2000],
  ['org', 2000, 2000, 2000],
  ['eu', 1200, 1200, 1200],
  ['info', 2200, 2200, 2200],
  ['tel', 2400, 2400, 2400],
  ['xyz', 1800, 1800, 1800],
  ['shop', 3900, 3900, 3900],
  ['gmbh', 3500, 3500, 3500],
];

export const tldPrices: TldPrice[] = TLD_PRICES.map(([tld, registerCents, renewCents, transferCents]) => ({
  tld,
  registerCents,
  renewCents,
  transferCents,
  isActive: true,
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: 'seed',
}));
