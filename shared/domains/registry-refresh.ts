import type { InwxDomain } from '../integrations/inwx/inwx-client.js';
import type { ProjectDomain } from '../projects/projects-table.js';

// The rules of domain-sync's daily part: when it is due, what of a live domain to bring in step
// with the registry, and which live domains the registry account no longer lists (drift).

/** The UTC day of a moment, `YYYY-MM-DD` (ordered as strings). */
export const utcDay = (now: Date): string => now.toISOString().slice(0, 10);

/** Due once per UTC day: when no run has done it yet, or the last one did it on an earlier day. */
export function isDailyRefreshDue(lastDay: string | undefined, today: string): boolean {
  return lastDay === undefined || lastDay < today;
}

export interface RegistryFields {
  expiresAt?: string;
  renewalMode?: string;
}

/**
 * What to write so the stored domain says what the registry says; null when nothing differs.
 * A value the registry leaves out never erases one we know.
 */
export function registryChanges(
  stored: Pick<ProjectDomain, 'expiresAt' | 'renewalMode'>,
  atRegistry: Pick<InwxDomain, 'expiresAt' | 'renewalMode'>,
): RegistryFields | null {
  const changes: RegistryFields = {};
  const { expiresAt, renewalMode } = atRegistry;
  if (expiresAt && (!stored.expiresAt || Date.parse(stored.expiresAt) !== Date.parse(expiresAt)))
    changes.expiresAt = expiresAt;
  if (renewalMode && stored.renewalMode !== renewalMode) changes.renewalMode = renewalMode;
  return Object.keys(changes).length ? changes : null;
}

/** The live domains the account's list does not hold (transferred away, deleted, moved by hand). */
export function missingAtRegistry<T extends { domain: string }>(
  live: readonly T[],
  inAccount: ReadonlyMap<string, unknown>,
): T[] {
  return live.filter((d) => !inAccount.has(d.domain));
}
