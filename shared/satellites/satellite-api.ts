import { audienceOf, offeredVersions } from '../catalog/plugin-versions.js';
import { isLicenseValid } from '../licensing/license.js';
import { NotFoundError } from '../platform/errors.js';
import { PROTECTED_ROBOTS_TAG } from '../preview/preview-rules.js';
import { getPrimaryDomain, getProject, listLicenses, type Project } from '../projects/projects-table.js';

// What a satellite may read with its project API key (contract: "Satellite API"). The version of
// each plugin is the newest its project may see: stable, or for superadmin projects also alpha
// and beta (shared/catalog/version-channels.ts).

function assertOwnProject(keyProjectId: string, pathProjectId: string): void {
  // A key only opens its own project; another id looks like it does not exist.
  if (keyProjectId !== pathProjectId) throw new NotFoundError(`Project ${pathProjectId} not found.`);
}

async function licensedPlugins(project: Project) {
  const licenses = await listLicenses(project.id);
  const versions = await offeredVersions(
    licenses.map((l) => l.plugin),
    audienceOf(project),
  );
  return licenses.map((l) => ({ license: l, version: versions.get(l.plugin)?.version }));
}

async function ownProject(keyProjectId: string, projectId: string): Promise<Project> {
  assertOwnProject(keyProjectId, projectId);
  const project = await getProject(projectId);
  if (!project) throw new NotFoundError(`Project ${projectId} not found.`);
  return project;
}

export async function satelliteConfig(keyProjectId: string, projectId: string) {
  const project = await ownProject(keyProjectId, projectId);
  const [domain, licensed] = await Promise.all([getPrimaryDomain(projectId), licensedPlugins(project)]);
  const now = new Date();
  return {
    projectId,
    name: project.name,
    projectType: project.projectType,
    primaryDomain: domain?.domain ?? null,
    plugins: licensed
      .filter(({ license, version }) => isLicenseValid(license, now) && version)
      .map(({ license, version }) => ({ name: license.plugin, version: version! })),
    previewProtection: project.previewProtection,
    robotsTag: project.previewProtection ? PROTECTED_ROBOTS_TAG : null,
    settings: { locale: project.locale, ownerEmail: project.ownerEmail },
  };
}

export async function satellitePlugins(keyProjectId: string, projectId: string) {
  const licensed = await licensedPlugins(await ownProject(keyProjectId, projectId));
  return {
    items: licensed.map(({ license, version }) => ({
      name: license.plugin,
      version: version ?? null,
      status: license.status,
      expiresAt: license.expiresAt,
    })),
    nextCursor: null,
  };
}
