// Items as the repositories store them in the single table (keys, index keys, entity, fields),
// for seeding the test table (tests/support/dynamo-table.ts). The ids match the event fixtures in
// tests/events/.

export type StoredItem = Record<string, unknown> & { pk: string; sk: string };

export const PROJECT_ID = '3f2b8c4e-6a1d-4e7f-9b2c-5d8e1a4f7c30';
export const EXECUTION_ARN =
  'arn:aws:states:eu-central-1:123456789012:execution:vrs-provision-subdomain:3f2b8c4e-6a1d-4e7f-9b2c-5d8e1a4f7c30-provision-subdomain-1';
export const OWNER_EMAIL = 'anna.mueller@example.com';
export const API_KEY = 'vrs_q3Vd0uJ8mB2kR7xN4pL9sT6wY1zC5eH0aF3gK8jM2nQ';
/** sha256 hex of API_KEY (what the table holds; the key itself is never stored). */
export const API_KEY_HASH = '8435bd71aa830c7221b367cc79d2eb0582dcf965fcd25e6ac2ed6f86168a5dda';

const CREATED_AT = '2025-02-04T10:00:00.120Z';

export function projectRecord(fields: Record<string, unknown> = {}): StoredItem {
  const p = {
    id: PROJECT_ID,
    name: 'Steuerberater Müller',
    slug: 'mueller',
    projectType: 'business_directory',
    bundle: 'verzeichnis-basic',
    status: 'active',
    paymentMethod: 'invoice',
    billingEmail: 'billing@example.com',
    ownerEmail: OWNER_EMAIL,
    locale: 'de',
    isDemo: false,
    previewProtection: false,
    provisioningStartedAt: CREATED_AT,
    provisioningCompletedAt: '2025-02-04T10:06:51.904Z',
    provisioningRetryCount: 0,
    serverId: 'b1d4f7a2-3c6e-4a9b-8d2f-5e7a0c3b6d19',
    coolifyProjectUuid: 'q8w4k0sg8c4ggc0o4skkw4s0',
    coolifyEnvironmentUuid: 'm4k0o8wckgc8sc0w4o0gk8s4',
    coolifyAppUuid: 'x0c4ws8g4kk0o8csg0wo4c4k',
    apiKeyHash: API_KEY_HASH,
    executionArn: EXECUTION_ARN,
    createdAt: CREATED_AT,
    updatedAt: '2025-02-04T10:06:51.904Z',
    ...fields,
  };
  return {
    pk: `PROJECT#${p.id}`,
    sk: 'PROJECT',
    gsi1pk: `OWNER#${p.ownerEmail}`,
    gsi1sk: p.createdAt,
    gsi2pk: `STATUS#${p.status}`,
    gsi2sk: p.createdAt,
    entity: 'Project',
    ...p,
  };
}

export function domainRecord(projectId = PROJECT_ID, domain = 'mueller.vrs.gmbh'): StoredItem {
  return {
    pk: `PROJECT#${projectId}`,
    sk: `DOMAIN#${domain}`,
    entity: 'ProjectDomain',
    projectId,
    domain,
    type: 'subdomain',
    status: 'active',
    isPrimary: true,
    baseDomain: 'vrs.gmbh',
    subdomain: domain.split('.')[0],
    inwxRecordIds: { a: 80412337, www: 80412338 },
    createdAt: CREATED_AT,
    updatedAt: '2025-02-04T10:01:12.377Z',
  };
}

export function licenseRecord(plugin: string, fields: Record<string, unknown> = {}): StoredItem {
  return {
    pk: `PROJECT#${PROJECT_ID}`,
    sk: `LICENSE#${plugin}`,
    entity: 'License',
    projectId: PROJECT_ID,
    plugin,
    status: 'active',
    billingCycle: 'yearly',
    priceCents: 8910,
    purchasedAt: CREATED_AT,
    expiresAt: '2099-02-04T10:00:00.120Z',
    ...fields,
  };
}

export function apiKeyRecord(hash = API_KEY_HASH, projectId = PROJECT_ID): StoredItem {
  return {
    pk: `APIKEY#${hash}`,
    sk: 'APIKEY',
    entity: 'ApiKey',
    projectId,
    createdAt: '2025-02-04T10:03:40.015Z',
  };
}

export function pluginRecord(name: string, latestVersion: string | null): StoredItem {
  return {
    pk: 'CATALOG',
    sk: `PLUGIN#${name}`,
    entity: 'Plugin',
    name,
    displayName: name.charAt(0).toUpperCase() + name.slice(1),
    description: `Das Plugin ${name}.`,
    latestVersion,
  };
}

export function orderCatalog(): StoredItem[] {
  const price = (plugin: string, cycle: string, priceCents: number): StoredItem => ({
    pk: `PLUGIN#${plugin}`,
    sk: `PRICE#business_directory#${cycle}`,
    entity: 'PluginPrice',
    plugin,
    projectType: 'business_directory',
    billingCycle: cycle,
    priceCents,
  });
  return [
    {
      pk: 'CATALOG',
      sk: 'PROJECTTYPE#business_directory',
      entity: 'ProjectType',
      code: 'business_directory',
      name: 'Branchenverzeichnis',
      hasTrial: true,
      trialDays: 14,
      appSource: {
        kind: 'docker-image',
        image: 'ghcr.io/vrs-gmbh/satellite-directory',
        tag: '1.4.2',
        port: 8000,
      },
    },
    {
      pk: 'CATALOG',
      sk: 'BUNDLE#business_directory#verzeichnis-basic',
      entity: 'Bundle',
      code: 'verzeichnis-basic',
      name: 'Verzeichnis Basic',
      description: 'Kontaktformular und Bewertungen',
      projectType: 'business_directory',
      plugins: ['kontakt', 'bewertungen'],
      billingCycle: 'yearly',
      discountPercent: 10,
      isDefault: true,
      isActive: true,
      sortOrder: 1,
    },
    pluginRecord('kontakt', '2.1.0'),
    pluginRecord('bewertungen', '1.3.4'),
    price('kontakt', 'yearly', 9900),
    price('kontakt', 'monthly', 990),
    price('bewertungen', 'yearly', 14900),
    {
      pk: 'CATALOG',
      sk: 'BASEDOMAIN#vrs.gmbh',
      entity: 'BaseDomain',
      domain: 'vrs.gmbh',
      displayName: 'vrs.gmbh',
      isDefault: true,
      isActive: true,
      sortOrder: 1,
    },
  ];
}
