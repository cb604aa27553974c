import { listPluginVersions } from '../catalog/catalog-table.js';
import { audienceOf } from '../catalog/plugin-versions.js';
import { offeredVersion } from '../catalog/version-channels.js';
import { presignPluginDownload } from '../integrations/s3/plugin-store.js';
import { isLicenseValid } from '../licensing/license.js';
import { ForbiddenError, NotFoundError } from '../platform/errors.js';
import { getLicense, getProject } from '../projects/projects-table.js';

// A satellite's download of a plugin ZIP: a presigned URL, only under a valid license, for the
// newest version its project may see (stable; superadmin projects also alpha and beta). Apart from
// the rest of the satellite API because only this function may read the plugin bucket.

export async function pluginDownload(projectId: string, pluginName: string) {
  const [license, project, versions] = await Promise.all([
    getLicense(projectId, pluginName),
    getProject(projectId),
    listPluginVersions(pluginName),
  ]);
  if (!license || !project || !isLicenseValid(license, new Date())) {
    throw new ForbiddenError(`This project holds no valid license for plugin "${pluginName}".`);
  }
  const version = offeredVersion(versions, audienceOf(project));
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
