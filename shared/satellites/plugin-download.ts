import { listPluginVersions, type PluginVersion } from '../catalog/catalog-table.js';
import { audienceOf } from '../catalog/plugin-versions.js';
import { offeredVersion } from '../catalog/version-channels.js';
import { presignPluginDownload } from '../integrations/s3/plugin-store.js';
import { isLicenseValid } from '../licensing/license.js';
import { unlicensedRequirements } from '../licensing/plugin-dependencies.js';
import { ForbiddenError, NotFoundError } from '../platform/errors.js';
import { readDownloadItems, readLicenses } from './download-table.js';
import { assertKeyServes } from './satellite-auth.js';

// A satellite's download of a plugin ZIP: a presigned URL, only under a valid license, for the
// newest version its project may see (stable; superadmin projects also alpha and beta). Apart from
// the rest of the satellite API because only this function may read the plugin bucket.
//
// Two DynamoDB calls per download (npm run bench): the key's marker (authentication), then the
// project, the license and the plugin in one BatchGetItem (a third, for a version that requires
// other plugins: their licenses); the key and the project's status are
// checked there as authenticateSatellite checks them. The plugin's released versions (a Query) are
// kept per function instance while the plugin's `latestVersion` and `releasedAt` (every release,
// any channel, sets it) stay the same, and for at most a minute: a new release is offered at once. Licenses, keys
// and the project are always read fresh.

const VERSIONS_TTL_MS = 60_000;
const versionsCache = new Map<
  string,
  { at: number; latest: string | null; versions: Promise<PluginVersion[]> }
>();

function releasedVersions(plugin: string, latest: string | null, now: number): Promise<PluginVersion[]> {
  const cached = versionsCache.get(plugin);
  if (cached && cached.latest === latest && now - cached.at < VERSIONS_TTL_MS) return cached.versions;
  const versions = listPluginVersions(plugin);
  versionsCache.set(plugin, { at: now, latest, versions });
  versions.catch(() => versionsCache.delete(plugin));
  return versions;
}

/** `projectId` from the key's marker (projectOfKeyMarker), `keyHash` the hash of that key. */
export async function pluginDownload(projectId: string, keyHash: string, pluginName: string) {
  const now = new Date();
  const { project, license, plugin } = await readDownloadItems(projectId, pluginName);
  assertKeyServes(project, keyHash);
  if (!project || !license || !isLicenseValid(license, now)) {
    throw new ForbiddenError(`This project holds no valid license for plugin "${pluginName}".`);
  }
  const versions = await releasedVersions(
    pluginName,
    plugin ? `${plugin.latestVersion ?? ''}@${plugin.releasedAt ?? ''}` : null,
    now.getTime(),
  );
  const version = offeredVersion(versions, audienceOf(project));
  if (!version) throw new NotFoundError(`Plugin "${pluginName}" has no released version yet.`);
  // The version's own requires (its manifest) need valid licenses too: one more read, only for a
  // version that requires something. Versions stored before they had requires are not checked.
  const requires = version.requires ?? [];
  if (requires.length > 0) {
    const licenses = await readLicenses(projectId, requires);
    const missing = unlicensedRequirements(requires, licenses, (l) => isLicenseValid(l, now));
    if (missing.length > 0) {
      const names = missing.map((m) => `"${m}"`).join(', ');
      throw new ForbiddenError(
        `Plugin "${pluginName}" ${version.version} requires ${names}, for which this project holds no valid license.`,
      );
    }
  }
  const { url, expiresAt } = await presignPluginDownload(version.s3Key);
  return {
    name: pluginName,
    version: version.version,
    url,
    sha256: version.sha256,
    sizeBytes: version.sizeBytes,
    expiresAt,
  };
}
