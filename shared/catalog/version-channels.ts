// Which plugin version a project is offered (issue: Commerce, seed 002 `can_see_dev_plugins`):
// only stable versions, except to superadmin projects (our own internal ones), which also see
// alpha and beta. Pure: callers pass the plugin's released versions and the project's flag.

export const CHANNELS = ['stable', 'beta', 'alpha'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Who asks: a project (its flag), or the public catalog (no project: stable only). */
export interface VersionAudience {
  isSuperadmin: boolean;
}

export const PUBLIC_AUDIENCE: VersionAudience = { isSuperadmin: false };

export function visibleChannels(audience: VersionAudience): readonly Channel[] {
  return audience.isSuperadmin ? CHANNELS : ['stable'];
}

/**
 * Orders `major.minor.patch[-pre]` versions: numerically part by part, a pre-release below its
 * release (1.2.0-beta.1 < 1.2.0), pre-releases by their text. Negative when a is older.
 */
export function compareVersions(a: string, b: string): number {
  const [coreA = '', preA] = splitPre(a);
  const [coreB = '', preB] = splitPre(b);
  const partsA = coreA.split('.').map(Number);
  const partsB = coreB.split('.').map(Number);
  for (let i = 0; i < Math.max(partsA.length, partsB.length); i++) {
    const diff = (partsA[i] ?? 0) - (partsB[i] ?? 0);
    if (diff !== 0) return diff;
  }
  if (preA === preB) return 0;
  if (preA === undefined) return 1;
  if (preB === undefined) return -1;
  return preA.localeCompare(preB, 'en', { numeric: true });
}

function splitPre(v: string): [string, string | undefined] {
  const i = v.indexOf('-');
  return i < 0 ? [v, undefined] : [v.slice(0, i), v.slice(i + 1)];
}

/** The newest version whose channel the audience may see; undefined when there is none. */
export function offeredVersion<V extends { version: string; channel: Channel }>(
  versions: readonly V[],
  audience: VersionAudience,
): V | undefined {
  const channels = visibleChannels(audience);
  return versions
    .filter((v) => channels.includes(v.channel))
    .reduce<V | undefined>(
      (best, v) => (!best || compareVersions(v.version, best.version) > 0 ? v : best),
      undefined,
    );
}
