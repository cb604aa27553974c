import { BatchGetCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { catalogKeys, type Plugin } from '../catalog/catalog-table.js';
import { db, fromItem, table } from '../platform/table/db.js';
import { type License, type Project, projectKeys } from '../projects/projects-table.js';

// The one read a satellite's download makes after authentication (docs/data-model.md):
//   BatchGetItem PROJECT#<id>/PROJECT, PROJECT#<id>/LICENSE#<plugin>, CATALOG/PLUGIN#<plugin>
// and, for a version that requires other plugins, their licenses:
//   BatchGetItem PROJECT#<id>/LICENSE#<required plugin> …
// Items of the projects and catalog modules, by their own key builders; only read here.

export interface DownloadItems {
  project: Project | undefined;
  license: License | undefined;
  plugin: Plugin | undefined;
}

/** Read consistently, like getProject. Keys DynamoDB leaves unprocessed (throttling) are read one by one. */
export async function readDownloadItems(projectId: string, pluginName: string): Promise<DownloadItems> {
  const keys = {
    project: projectKeys.project(projectId),
    license: projectKeys.license(projectId, pluginName),
    plugin: catalogKeys.plugin(pluginName),
  };
  const items = await batchGetConsistent(Object.values(keys));
  const find = (key: { pk: string; sk: string }) => items.find((i) => i.pk === key.pk && i.sk === key.sk);
  const item = <T>(key: { pk: string; sk: string }) => {
    const found = find(key);
    return found ? fromItem<T>(found) : undefined;
  };
  return {
    project: item<Project>(keys.project),
    license: item<License>(keys.license),
    plugin: item<Plugin>(keys.plugin),
  };
}

/** The project's licenses of `plugins` (those a version requires), read consistently in one batch. */
export async function readLicenses(projectId: string, plugins: readonly string[]): Promise<License[]> {
  const items = await batchGetConsistent(plugins.map((p) => projectKeys.license(projectId, p)));
  return items.map((i) => fromItem<License>(i));
}

/** One consistent BatchGetItem; keys DynamoDB leaves unprocessed (throttling) are read one by one. */
async function batchGetConsistent(keys: { pk: string; sk: string }[]): Promise<Record<string, unknown>[]> {
  const out = await db().send(
    new BatchGetCommand({ RequestItems: { [table()]: { Keys: keys, ConsistentRead: true } } }),
  );
  const items = [...(out.Responses?.[table()] ?? [])];
  for (const key of out.UnprocessedKeys?.[table()]?.Keys ?? []) {
    const one = await db().send(new GetCommand({ TableName: table(), Key: key, ConsistentRead: true }));
    if (one.Item) items.push(one.Item);
  }
  return items;
}
