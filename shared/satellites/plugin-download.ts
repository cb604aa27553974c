import { getPlugin, getPluginVersion } from '../catalog/catalog-table.js';
import { presignPluginDownload } from '../integrations/s3/plugin-store.js';
import { isLicenseValid } from '../licensing/license.js';
import { ForbiddenError, NotFoundError } from '../platform/errors.js';
import { getLicense } from '../projects/projects-table.js';

// A satellite's download of a plugin ZIP: a presigned URL, only under a valid license. Apart from
// the rest of the satellite API because only this function may read the plugin bucket.

export async function pluginDownload(projectId: string, pluginName: string) {
  const [license, plugin] = await Promise.all([getLicense(projectId, pluginName), getPlugin(pluginName)]);
  if (!license || !isLicenseValid(license, new Date())) {
    throw new ForbiddenError(`This project holds no valid license for plugin "${pluginName}".`);
  }
  const version = plugin?.latestVersion
    ? await getPluginVersion(pluginName, plugin.latestVersion)
    : undefined;
  if (!version) throw new NotFoundError(`Plugin "${pluginName}" has no released version yet.`);
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
