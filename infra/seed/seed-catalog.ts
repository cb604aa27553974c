import { createHash } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { BatchWriteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { zipSync } from 'fflate';
import { catalogKeys, type PluginVersion } from '../../shared/catalog/catalog-table.js';
import { type Server, serverItem, serverMarkerItems } from '../../shared/servers/servers-table.js';
import { baseDomains, bundles, pluginPrices, pluginSeeds, projectTypes, tldPrices } from './catalog.js';

// Writes the seed catalog (idempotent: catalog items are overwritten, servers only created once so
// their project counts survive restarts) and uploads one real ZIP per plugin version.

const FIXED_MTIME = new Date('2026-01-01T00:00:00Z');

/** A plugin archive as seeds/000 §8.3 describes it: the plugin folder plus manifest.json. */
export function pluginZip(p: (typeof pluginSeeds)[number]): Uint8Array {
  const enc = (s: string) => new TextEncoder().encode(s);
  const manifest = {
    name: p.name,
    version: p.version,
    displayName: p.displayName,
    description: p.description,
    requires: p.requires,
  };
  return zipSync(
    {
      [`${p.name}/__init__.py`]: enc(
        `"""${p.displayName} plugin for vrs-core."""\n__version__ = "${p.version}"\n`,
      ),
      [`${p.name}/routes.py`]: enc(
        `from vrs_core import Blueprint\n\nbp = Blueprint("${p.name}", __name__)\n`,
      ),
      [`${p.name}/models.py`]: enc('# Data models of this plugin\n'),
      [`migrations/versions/0001_${p.name}_initial.py`]: enc(
        `revision = "${p.name}_0001"\ndown_revision = None\n`,
      ),
      'manifest.json': enc(`${JSON.stringify(manifest, null, 2)}\n`),
    },
    { mtime: FIXED_MTIME, level: 6 },
  );
}

export async function seedCatalog(opts: {
  doc: DynamoDBDocumentClient;
  table: string;
  s3: S3Client;
  bucket: string;
  /** Servers to create when missing (their project counts are never reset). */
  servers: Server[];
}): Promise<void> {
  const { doc, table, s3, bucket } = opts;
  const items: Record<string, unknown>[] = [];
  for (const t of projectTypes)
    items.push({ ...catalogKeys.projectType(t.code), entity: 'ProjectType', ...t });
  for (const b of bundles)
    items.push({ ...catalogKeys.bundle(b.projectType, b.code), entity: 'Bundle', ...b });
  for (const d of baseDomains)
    items.push({ ...catalogKeys.baseDomain(d.domain), entity: 'BaseDomain', ...d });
  for (const p of pluginPrices())
    items.push({
      ...catalogKeys.pluginPrice(p.plugin, p.projectType, p.billingCycle),
      entity: 'PluginPrice',
      ...p,
    });

  for (const p of pluginSeeds) {
    const zip = pluginZip(p);
    const s3Key = `plugins/${p.name}/${p.name}-${p.version}.zip`;
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: s3Key, Body: zip, ContentType: 'application/zip' }),
    );
    const version: PluginVersion = {
      plugin: p.name,
      version: p.version,
      s3Key,
      sha256: createHash('sha256').update(zip).digest('hex'),
      sizeBytes: zip.byteLength,
      channel: 'stable',
      releasedAt: FIXED_MTIME.toISOString(),
      requires: p.requires,
    };
    items.push({ ...catalogKeys.pluginVersion(p.name, p.version), entity: 'PluginVersion', ...version });
    items.push({
      ...catalogKeys.plugin(p.name),
      entity: 'Plugin',
      name: p.name,
      displayName: p.displayName,
      description: p.description,
      latestVersion: p.version,
      requires: p.requires,
    });
  }

  for (let i = 0; i < items.length; i += 25) {
    let request: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> | undefined = {
      [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
    };
    while (request) {
      const out = await doc.send(new BatchWriteCommand({ RequestItems: request }));
      const rest = out.UnprocessedItems?.[table] as
        | { PutRequest: { Item: Record<string, unknown> } }[]
        | undefined;
      request = rest?.length ? { [table]: rest } : undefined;
    }
  }
  // Created once: staff own them afterwards (server project counts, TLD prices).
  const once = [
    ...opts.servers.flatMap((s) => [serverItem(s), ...serverMarkerItems(s)]),
    ...tldPrices.map((p) => ({ ...catalogKeys.tldPrice(p.tld), entity: 'TldPrice', ...p })),
  ];
  for (const item of once) {
    await doc
      .send(new PutCommand({ TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }))
      .catch((err: Error) => {
        if (err.name !== 'ConditionalCheckFailedException') throw err;
      });
  }
}
