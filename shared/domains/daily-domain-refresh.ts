import type { InwxDomain } from '../integrations/inwx/inwx-client.js';
import { mailConfig, sendMail } from '../integrations/mail/mailer.js';
import { domainsMissingAtRegistryMail } from '../integrations/mail/templates.js';
import { logger } from '../platform/logger.js';
import { isCustomDomain } from '../projects/domain-status.js';
import { listCustomDomainsInStatus, updateDomain } from '../projects/domains-table.js';
import type { ProjectDomain } from '../projects/projects-table.js';
import { claimDailyRefresh, lastDailyRefresh } from './daily-refresh-table.js';
import { shown } from './domain-lookup.js';
import { isDailyRefreshDue, missingAtRegistry, registryChanges, utcDay } from './registry-refresh.js';

// domain-sync's daily part (architecture.md §2): every live custom domain gets the expiry date and
// renewal mode our INWX account shows (from the list the run has read anyway), and the live ones the
// account no longer lists are drift, for staff. Subdomains live under our base domains: not here.

export interface DailyRefreshResult {
  /** Live domains whose expiry or renewal mode changed. */
  refreshed: number;
  /** Live domains our INWX account does not list. */
  missingAtRegistry: number;
}

/** Null when today's refresh was done already. */
export async function refreshDaily(
  inAccount: ReadonlyMap<string, InwxDomain>,
  now: Date,
): Promise<DailyRefreshResult | null> {
  const day = utcDay(now);
  if (!isDailyRefreshDue(await lastDailyRefresh(), day)) return null;
  const live = (await listCustomDomainsInStatus('active')).filter(isCustomDomain);
  let refreshed = 0;
  for (const d of live) {
    const at = inAccount.get(d.domain);
    const fields = at && registryChanges(d, at);
    if (fields && (await updateDomain(d.projectId, d.domain, { fields, from: ['active'] }))) refreshed++;
  }
  const missing = missingAtRegistry(live, inAccount);
  if (missing.length) {
    logger.warn('live domains missing from our INWX account', {
      count: missing.length,
      domains: missing.slice(0, 20).map((d) => d.domain),
    });
  }
  // All of the above may run twice; the mail may not: only the run that records the day sends it.
  if ((await claimDailyRefresh(day, now.toISOString())) && missing.length) await tellStaff(day, missing);
  return { refreshed, missingAtRegistry: missing.length };
}

async function tellStaff(day: string, missing: ProjectDomain[]): Promise<void> {
  try {
    await sendMail(
      mailConfig().STAFF_EMAIL,
      domainsMissingAtRegistryMail({
        day,
        domains: missing.map((d) => ({ domain: shown(d), projectId: d.projectId })),
      }),
    );
  } catch (err) {
    // The warning above is in the log, and tomorrow's run mails again while the drift lasts.
    logger.error('staff mail failed', { err });
  }
}
