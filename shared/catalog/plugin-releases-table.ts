import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, failedConditions, fromItem, table } from '../platform/table/db.js';
import { catalogKeys, type PluginVersion, padVersion } from './catalog-table.js';
import type { Channel } from './version-channels.js';

// Plugin releases: an upload staff asked for (PluginUpload), and the publish that turns it into a
// released PluginVersion (catalog-table.ts) and, for stable, the plugin's latest version.
// Access patterns (keys):
//   the upload of a version     pk=PLUGIN#<name>  sk=UPLOAD#<zero-padded semver>  (TTL `ttl`)
// An upload never appears among a plugin's versions (begins_with VERSION#): it is offered to nobody.

/** An upload is kept this long for its publish; the staging object then waits for a new request. */
const UPLOAD_KEEP_SECONDS = 7 * 24 * 3600;

export interface PluginUpload {
  plugin: string;
  version: string;
  channel: Channel;
  /** Where the presigned PUT writes (plugin-release-rules.ts stagingKeyOf). */
  stagingKey: string;
  requestedBy: string;
  requestedAt: string;
}

const uploadKey = (plugin: string, version: string) => ({
  pk: `PLUGIN#${plugin}`,
  sk: `UPLOAD#${padVersion(version)}`,
});

export async function getPluginUpload(plugin: string, version: string): Promise<PluginUpload | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: uploadKey(plugin, version) }));
  return out.Item ? fromItem<PluginUpload>(out.Item) : undefined;
}

/**
 * Records (or renews) an upload, on condition that the version is not released: 'published' when
 * it is (the database decides, so an upload never races past a publish).
 */
export async function recordPluginUpload(upload: PluginUpload): Promise<'recorded' | 'published'> {
  const ttl = Math.floor(Date.parse(upload.requestedAt) / 1000) + UPLOAD_KEEP_SECONDS;
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            ConditionCheck: {
              TableName: table(),
              Key: catalogKeys.pluginVersion(upload.plugin, upload.version),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: table(),
              Item: { ...uploadKey(upload.plugin, upload.version), entity: 'PluginUpload', ...upload, ttl },
            },
          },
        ],
      }),
    );
    return 'recorded';
  } catch (err) {
    if (failedConditions(err).includes(0)) return 'published';
    throw err;
  }
}

export type PublishOutcome = 'published' | 'version-exists' | 'plugin-changed';

/**
 * Releases a version in one transaction: the version item (condition: not released yet), the
 * upload removed, and — when `latest` is given — the plugin's `latestVersion` and `requires`
 * (condition: `latestVersion` still what the caller read, so two publishes never go backwards).
 */
export async function publishPluginVersion(
  version: PluginVersion,
  latest?: { readLatest: string | null; requires: string[] },
): Promise<PublishOutcome> {
  const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
    {
      Put: {
        TableName: table(),
        Item: {
          ...catalogKeys.pluginVersion(version.plugin, version.version),
          entity: 'PluginVersion',
          ...version,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    { Delete: { TableName: table(), Key: uploadKey(version.plugin, version.version) } },
  ];
  // Every release (any channel) marks the plugin: caches of its version list (the satellite
  // download's, shared/satellites/plugin-download.ts) go by `releasedAt`.
  const releasedAt = new Date().toISOString();
  if (latest) {
    items.push({
      Update: {
        TableName: table(),
        Key: catalogKeys.plugin(version.plugin),
        UpdateExpression: 'SET latestVersion = :v, requires = :r, releasedAt = :at',
        ConditionExpression:
          'attribute_exists(pk) AND (attribute_not_exists(latestVersion) OR latestVersion = :read)',
        ExpressionAttributeValues: {
          ':v': version.version,
          ':r': latest.requires,
          ':read': latest.readLatest,
          ':at': releasedAt,
        },
      },
    });
  } else {
    items.push({
      Update: {
        TableName: table(),
        Key: catalogKeys.plugin(version.plugin),
        UpdateExpression: 'SET releasedAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': releasedAt },
      },
    });
  }
  try {
    await db().send(new TransactWriteCommand({ TransactItems: items }));
    return 'published';
  } catch (err) {
    const failed = failedConditions(err);
    if (failed.includes(0)) return 'version-exists';
    if (failed.includes(2)) return 'plugin-changed';
    throw err;
  }
}
