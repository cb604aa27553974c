// A plugin's dependencies (`requires`, in its catalog entry and manifest): a project licensed for a
// plugin is licensed for everything it needs, transitively. Ordering adds what is missing.

export interface RequiredPlugin {
  plugin: string;
  /** The plugin that needs it (the first one found). */
  requiredBy: string;
}

/**
 * The plugins `selected` need but do not include, in the order they are found (breadth first). A
 * requirement the catalog does not know is reported in `unknown` (a catalog error, not the order's).
 */
export function missingRequirements(
  selected: readonly string[],
  requiresOf: (plugin: string) => readonly string[] | undefined,
): { added: RequiredPlugin[]; unknown: RequiredPlugin[] } {
  const have = new Set(selected);
  const added: RequiredPlugin[] = [];
  const unknown: RequiredPlugin[] = [];
  const queue = [...selected];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const needed of requiresOf(next) ?? []) {
      if (have.has(needed)) continue;
      have.add(needed);
      if (requiresOf(needed) === undefined) {
        unknown.push({ plugin: needed, requiredBy: next });
        continue;
      }
      added.push({ plugin: needed, requiredBy: next });
      queue.push(needed);
    }
  }
  return { added, unknown };
}

/**
 * The plugins of `requires` a project holds no valid license for (download of a plugin that needs
 * them: 403 naming them). `licenses` are the project's, `isValid` decides each (license.ts).
 */
export function unlicensedRequirements<L extends { plugin: string }>(
  requires: readonly string[],
  licenses: readonly L[],
  isValid: (license: L) => boolean,
): string[] {
  const valid = new Set(licenses.filter(isValid).map((l) => l.plugin));
  return requires.filter((plugin) => !valid.has(plugin));
}
