import { listPluginVersions } from '../catalog/catalog-table.js';
import { audienceOf } from '../catalog/plugin-versions.js';
import { offeredVersion } from '../catalog/version-channels.js';
import { presignPluginDownload } from '../integrations/s3/plugin-store.js';
import { isLicenseValid } from '../licensing/license.js';
import { unlicensedRequirements } from '../licensing/plugin-dependencies.js';
import { ForbiddenError, NotFoundError } from '../platform/errors.js';
import { getProject, listLicenses } from '../projects/projects-table.js';

// A satellite's download of a plugin ZIP: a presigned URL, only under a valid license, for the
// newest version its project may see (stable; superadmin projects also alpha and beta). Apart from
// the rest of the satellite API because only this function may read the plugin bucket.

export async function pluginDownload(projectId: string, pluginName: string) {
  // All the project's licenses in one query (as many calls as one GetItem): the plugins the
  // version requires need a valid license too.
  const [licenses, project, versions] = await Promise.all([
    listLicenses(projectId),
    getProject(projectId),
    listPluginVersions(pluginName),
  ]);
  const now = new Date();
  const license = licenses.find((l) => l.plugin === pluginName);
  if (!license || !project || !isLicenseValid(license, now)) {
    throw new ForbiddenError(`This project holds no valid license for plugin "${pluginName}".`);
  }
  const version = offeredVersion(versions, audienceOf(project));
  if (!version) throw new NotFoundError(`Plugin "${pluginName}" has no released version yet.`);
  // The version's own requires (its manifest); versions stored before they had them are not checked.
  const missing = unlicensedRequirements(version.requires ?? [], licenses, (l) => isLicenseValid(l, now));
  if (missing.length > 0) {
    const names = missing.map((m) => `"${m}"`).join(', ');
    throw new ForbiddenError(
      `Plugin "${pluginName}" ${version.version} requires ${names}, for which this project holds no valid license.`,
    );
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
