import type { z } from 'zod';
import { ConflictError, isTransactionConflict, NotPossibleError } from '../platform/errors.js';
import type { Caller } from '../platform/http/auth.js';
import { PROJECT_STATUSES } from '../projects/project-status.js';
import type { License } from '../projects/projects-table.js';
import {
  decideLicenseChange,
  HISTORY_ACTION,
  hasReached,
  type LicenseRefusal,
  type LicenseTarget,
  type StaffLicenseAction,
} from './license-changes.js';
import { loadLicense } from './license-lookup.js';
import { changeLicense, type LicenseWriteOutcome, readLicense } from './licenses-table.js';
import type { licenseView } from './schemas.js';

// Staff activate, suspend or extend one license by hand (PUT /v1/admin/projects/{id}/licenses/{plugin}):
// decided by license-changes.ts on what was read, written in one transaction on condition that the
// license and the project are still so. A concurrent duplicate finds the license as it wanted it
// and answers the same, without a second history entry.

export interface LicenseChangeBody {
  action: StaffLicenseAction;
  until?: string | undefined;
  reason: string;
}

const ATTEMPTS = 3;

export async function changeLicenseByStaff(
  caller: Caller,
  projectId: string,
  plugin: string,
  body: LicenseChangeBody,
): Promise<z.infer<typeof licenseView>> {
  const { project, license } = await loadLicense(projectId, plugin);
  const decision = decideLicenseChange(license, project, body, new Date());
  if (decision.outcome === 'refused') throw refusalError(decision);
  if (decision.outcome === 'unchanged') return toLicenseView(license);
  const from: LicenseTarget = { status: license.status, expiresAt: license.expiresAt };
  const { to } = decision;
  const historyAction = HISTORY_ACTION[body.action];
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const outcome = await writeOnce(() =>
      changeLicense(projectId, {
        plugin,
        from,
        to,
        action: historyAction,
        project: {
          // Activate and suspend were decided on the project's status and on no lifecycle flow
          // deciding licenses; an extension only needs the project not archived.
          status:
            body.action === 'extend' ? PROJECT_STATUSES.filter((s) => s !== 'archived') : [project.status],
          noLifecycleRequest: body.action !== 'extend',
          ...(decision.releaseFromSuspension ? { releaseFromSuspension: plugin } : {}),
        },
        by: caller.email,
        reason: body.reason,
        log: {
          action: `license_${historyAction}`,
          message: `License ${plugin}: ${describe(from)} → ${describe(to)}${decision.releaseFromSuspension ? ' (no longer given back by the resume)' : ''}: ${body.reason}`,
          triggeredBy: caller.email,
        },
      }),
    );
    if (outcome === 'done') return toLicenseView({ ...license, ...to });
    // Someone wrote first. The same change (a double click): answer as if it were ours.
    const now = await readLicense(projectId, plugin);
    if (now && hasReached(now, to)) return toLicenseView(now);
    // A transaction that only collided with another and wrote nothing: once more, on the same reading.
    if (outcome === 'conflict' && now && hasReached(now, from)) continue;
    throw new ConflictError(
      `License "${plugin}" or its project changed while this was written (the license is now ${now ? describe(now) : 'gone'}); nothing was changed. Look again and resend.`,
    );
  }
  throw new ConflictError(`License "${plugin}" kept changing while this was written; nothing was changed.`);
}

/** The table's outcome, with a transaction that collided with a concurrent one as `conflict`. */
async function writeOnce(
  write: () => Promise<LicenseWriteOutcome>,
): Promise<LicenseWriteOutcome | 'conflict'> {
  try {
    return await write();
  } catch (err) {
    if (isTransactionConflict(err)) return 'conflict';
    throw err;
  }
}

export function refusalError(refusal: LicenseRefusal): Error {
  return refusal.kind === 'conflict'
    ? new ConflictError(refusal.message)
    : new NotPossibleError(refusal.message);
}

const describe = (l: LicenseTarget): string =>
  `${l.status} (${l.expiresAt ? `until ${l.expiresAt}` : 'no expiry'})`;

export const toLicenseView = (l: License): z.infer<typeof licenseView> => ({
  plugin: l.plugin,
  status: l.status,
  billingCycle: l.billingCycle,
  expiresAt: l.expiresAt,
});
