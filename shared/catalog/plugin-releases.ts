import {
  deleteUpload,
  presignUpload,
  readUpload,
  storeRelease,
} from '../integrations/s3/plugin-release-store.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.js';
import type { Caller } from '../platform/http/auth.js';
import { getPlugin, getPluginsByName, getPluginVersion, type PluginVersion } from './catalog-table.js';
import { checkPluginZip, MAX_PLUGIN_ZIP_BYTES, releaseKeyOf, stagingKeyOf } from './plugin-release-rules.js';
import { getPluginUpload, publishPluginVersion, recordPluginUpload } from './plugin-releases-table.js';
import { type Channel, compareVersions } from './version-channels.js';

// Staff release a plugin version (issue 8, "Plugin releases"): ask for an upload URL, PUT the ZIP
// there, publish. Publishing checks the ZIP (plugin-release-rules.ts), stores its checksum, size,
// channel and requires, and for stable makes it the plugin's latest: satellites of licensed
// projects are offered it on their next call (shared/catalog/version-channels.ts).

const PUBLISH_ATTEMPTS = 3;

async function existingPlugin(name: string) {
  const plugin = await getPlugin(name);
  if (!plugin) throw new NotFoundError(`Plugin "${name}" not found.`);
  return plugin;
}

const alreadyPublished = (name: string, version: string) =>
  new ConflictError(`Version ${version} of plugin "${name}" is published already; publish a new version.`);

/** POST /v1/admin/plugins/{name}/versions: a presigned PUT for the ZIP; the version is `uploading`. */
export async function requestPluginUpload(
  caller: Caller,
  name: string,
  body: { version: string; channel: Channel },
) {
  await existingPlugin(name);
  const stagingKey = stagingKeyOf(name, body.version);
  const outcome = await recordPluginUpload({
    plugin: name,
    version: body.version,
    channel: body.channel,
    stagingKey,
    requestedBy: caller.email,
    requestedAt: new Date().toISOString(),
  });
  if (outcome === 'published') throw alreadyPublished(name, body.version);
  return presignUpload(stagingKey);
}

/** POST /v1/admin/plugins/{name}/versions/{version}/publish → `{ sha256, sizeBytes }`. */
export async function publishPluginRelease(
  caller: Caller,
  name: string,
  version: string,
  maxBytes: number = MAX_PLUGIN_ZIP_BYTES,
) {
  const [plugin, published, upload] = await Promise.all([
    existingPlugin(name),
    getPluginVersion(name, version),
    getPluginUpload(name, version),
  ]);
  const stagingKey = stagingKeyOf(name, version);
  if (published) {
    // Versions share a key only when they pad alike (1.0.0-beta, 1.0.0-0beta): never both.
    if (published.version !== version) throw alreadyPublished(name, published.version);
    return republish(published, stagingKey, maxBytes);
  }
  if (!upload) {
    throw new NotFoundError(
      `No upload of version ${version} of plugin "${name}" was requested (POST /v1/admin/plugins/${name}/versions).`,
    );
  }

  const read = await readUpload(stagingKey, maxBytes);
  if (read.kind === 'missing') {
    throw new ValidationError('Nothing was uploaded for this version.', [
      { path: 'zip', message: 'no uploaded ZIP: PUT it to the uploadUrl first' },
    ]);
  }
  if (read.kind === 'too-large') {
    throw new ValidationError('The uploaded ZIP is too large.', [
      { path: 'zip', message: `is ${read.sizeBytes} bytes or more; the limit is ${maxBytes} bytes` },
    ]);
  }
  const check = checkPluginZip(read.bytes, { name, version }, maxBytes);
  if (!check.ok) throw new ValidationError('The uploaded ZIP cannot be published.', check.errors);
  const { requires } = check.manifest;
  const known = new Set((await getPluginsByName(requires)).map((p) => p.name));
  const unknown = requires.filter((r) => !known.has(r));
  if (unknown.length > 0) {
    throw new ValidationError('The manifest requires plugins that do not exist.', [
      { path: 'manifest.json/requires', message: `unknown plugins: ${unknown.join(', ')}` },
    ]);
  }

  const s3Key = releaseKeyOf(name, version, read.sha256);
  await storeRelease(s3Key, read.bytes);
  const release: PluginVersion = {
    plugin: name,
    version,
    s3Key,
    sha256: read.sha256,
    sizeBytes: read.bytes.byteLength,
    channel: upload.channel,
    releasedAt: new Date().toISOString(),
    requires,
    publishedBy: caller.email,
  };

  let readLatest = plugin.latestVersion;
  for (let attempt = 1; ; attempt++) {
    // Only a stable release newer than the plugin's latest moves it (an older patch does not).
    const becomesLatest =
      release.channel === 'stable' && (readLatest === null || compareVersions(version, readLatest) > 0);
    const outcome = await publishPluginVersion(release, becomesLatest ? { readLatest, requires } : undefined);
    if (outcome === 'published') break;
    if (outcome === 'version-exists') {
      // A concurrent publish of this version won: the same bytes answer the same, others conflict.
      const winner = await getPluginVersion(name, version);
      if (winner?.sha256 === release.sha256) break;
      throw alreadyPublished(name, version);
    }
    // Another version became the latest meanwhile: decide again against it.
    if (attempt === PUBLISH_ATTEMPTS) throw new ConflictError('The plugin changed meanwhile; publish again.');
    readLatest = (await existingPlugin(name)).latestVersion;
  }
  await deleteUpload(stagingKey);
  return { sha256: release.sha256, sizeBytes: release.sizeBytes };
}

/**
 * Publishing a released version again: the same answer when nothing new was uploaded or the same
 * bytes were; a different object for it is a conflict (a release never changes).
 */
async function republish(published: PluginVersion, stagingKey: string, maxBytes: number) {
  const answer = { sha256: published.sha256, sizeBytes: published.sizeBytes };
  const read = await readUpload(stagingKey, maxBytes);
  if (read.kind === 'missing') return answer;
  if (read.kind === 'read' && read.sha256 === published.sha256) {
    await deleteUpload(stagingKey);
    return answer;
  }
  throw alreadyPublished(published.plugin, published.version);
}
