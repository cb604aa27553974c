import { listPluginVersions, type PluginVersion } from './catalog-table.js';
import { offeredVersion, type VersionAudience } from './version-channels.js';

// The version of each plugin a project (or the public catalog) is offered, read from the plugins'
// released versions: one query per plugin, side by side (a project holds a handful).

export async function offeredVersions(
  plugins: readonly string[],
  audience: VersionAudience,
): Promise<Map<string, PluginVersion>> {
  const unique = [...new Set(plugins)];
  const versions = await Promise.all(unique.map((name) => listPluginVersions(name)));
  const offered = new Map<string, PluginVersion>();
  unique.forEach((name, i) => {
    const version = offeredVersion(versions[i] ?? [], audience);
    if (version) offered.set(name, version);
  });
  return offered;
}

/** The project's audience: its superadmin flag (absent on projects stored before it existed). */
export const audienceOf = (project: { isSuperadmin?: boolean | undefined }): VersionAudience => ({
  isSuperadmin: project.isSuperadmin === true,
});
