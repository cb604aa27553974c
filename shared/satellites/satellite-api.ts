import { getPluginsByName } from '../catalog/catalog-table.js';
import { isLicenseValid } from '../licensing/license.js';
import { NotFoundError } from '../platform/errors.js';
import { getPrimaryDomain, getProject, listLicenses } from '../projects/projects-table.js';

// What a satellite may read with its project API key (contract: "Satellite API").

function assertOwnProject(keyProjectId: string, pathProjectId: string): void {
  // A key only opens its own project; another id looks like it does not exist.
  if (keyProjectId !== pathProjectId) throw new NotFoundError(`Project ${pathProjectId} not found.`);
}

async function licensedPlugins(projectId: string) {
  const licenses = await listLicenses(projectId);
  const plugins = await getPluginsByName(licenses.map((l) => l.plugin));
  return licenses.map((l) => ({ license: l, plugin: plugins.find((p) => p.name === l.plugin) }));
}

export async function satelliteConfig(keyProjectId: string, projectId: string) {
  assertOwnProject(keyProjectId, projectId);
  const project = await getProject(projectId);
  if (!project) throw new NotFoundError(`Project ${projectId} not found.`);
  const [domain, licensed] = await Promise.all([getPrimaryDomain(projectId), licensedPlugins(projectId)]);
  const now = new Date();
  return {
    projectId,
    name: project.name,
    projectType: project.projectType,
    primaryDomain: domain?.domain ?? null,
    plugins: licensed
      .filter(({ license, plugin }) => isLicenseValid(license, now) && plugin?.latestVersion)
      .map(({ plugin }) => ({ name: plugin!.name, version: plugin!.latestVersion! })),
    previewProtection: project.previewProtection,
    settings: { locale: project.locale, ownerEmail: project.ownerEmail },
  };
}

export async function satellitePlugins(keyProjectId: string, projectId: string) {
  assertOwnProject(keyProjectId, projectId);
  const licensed = await licensedPlugins(projectId);
  return {
    items: licensed.map(({ license, plugin }) => ({
      name: license.plugin,
      version: plugin?.latestVersion ?? null,
      status: license.status,
      expiresAt: license.expiresAt,
    })),
    nextCursor: null,
  };
}
