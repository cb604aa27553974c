import { inwx } from '../integrations/inwx/from-secret.js';
import type { InwxDomain } from '../integrations/inwx/inwx-client.js';
import { sendTaskFailure, sendTaskSuccess } from '../integrations/stepfunctions/workflows.js';
import { logger } from '../platform/logger.js';
import { listDomainsWaitingForRegistry, updateDomain } from '../projects/domains-table.js';
import type { ProjectDomain } from '../projects/projects-table.js';
import { type AccountDomain, listAccountDomains, storeAccountDomains } from './account-domains-table.js';
import { refreshDaily } from './daily-domain-refresh.js';
import { shown } from './domain-lookup.js';

// The domain-sync job (architecture.md §2): the attach flows of registrations and transfers wait
// on task tokens, at no cost; this job looks at INWX for all of them at once — one session, the
// account's domain list paged — and completes the waits whose registry is done or has given up.
// Per-execution polling would open a session per domain and poll (INWX limits sessions). The same
// list, kept in the table, tells an order whether a domain is already ours, and once a day brings
// the live domains' expiry dates and renewal modes in step (daily-domain-refresh.ts).

export interface DomainSyncResult {
  waiting: number;
  completed: number;
  refused: number;
  /** Domains of our INWX account whose stored copy changed (account-domains-table.ts). */
  accountChanges: number;
  /** Whether this run did the day's refresh (the first run of a UTC day does). */
  daily: boolean;
  /** Live domains whose expiry or renewal mode changed (daily). */
  refreshed: number;
  /** Live domains our INWX account does not list (daily; staff get them by mail). */
  missingAtRegistry: number;
}

/** `now` decides the day of the daily part (a test runs the job as if a day later). */
export async function syncDomains(now = new Date()): Promise<DomainSyncResult> {
  const waiting = (await listDomainsWaitingForRegistry()).filter((d) => d.registryTaskToken);
  const result: DomainSyncResult = {
    waiting: waiting.length,
    completed: 0,
    refused: 0,
    accountChanges: 0,
    daily: false,
    refreshed: 0,
    missingAtRegistry: 0,
  };
  /** Waits already answered or over (a retried run, a timed-out wait): logged once, not per domain. */
  const stale: string[] = [];
  const client = await inwx();
  const inAccount = new Map((await client.allDomains()).map((d) => [d.domain, d]));
  result.accountChanges = await refreshAccountCopy(inAccount);

  for (const d of waiting) {
    const at = inAccount.get(d.domain);
    const token = d.registryTaskToken!;
    if (at?.status === 'OK') {
      await updateDomain(d.projectId, d.domain, {
        fields: {
          inwxDomainId: at.roId,
          expiresAt: at.expiresAt,
          ...(at.renewalMode ? { renewalMode: at.renewalMode } : {}),
        },
      });
      if (await sendTaskSuccess(token, { status: 'OK', roId: at.roId, expiresAt: at.expiresAt }))
        result.completed++;
      else logger.warn('registry wait no longer open', { projectId: d.projectId, domain: d.domain });
      continue;
    }
    if (at) continue; // still pending at the registry
    // Gone from the list: INWX's own sync logic confirms with domain.info (2303 → the order failed).
    if (await client.domainInfo(d.domain)) continue;
    const [error, cause] = refusal(d);
    if (await sendTaskFailure(token, error, cause)) result.refused++;
    else stale.push(d.domain);
  }
  if (stale.length)
    logger.warn('registry waits no longer open', { count: stale.length, domains: stale.slice(0, 10) });
  const daily = await refreshDaily(inAccount, now);
  if (daily) Object.assign(result, { daily: true, ...daily });
  return result;
}

/** Keeps the table's copy of the account's domain list in step, writing only what changed. */
async function refreshAccountCopy(inAccount: Map<string, InwxDomain>): Promise<number> {
  const stored = new Map((await listAccountDomains()).map((d) => [d.domain, d]));
  const now = new Date().toISOString();
  const changed: AccountDomain[] = [];
  for (const d of inAccount.values()) {
    const s = stored.get(d.domain);
    if (s && s.status === d.status && s.roId === d.roId && s.expiresAt === d.expiresAt) continue;
    changed.push({ domain: d.domain, status: d.status, roId: d.roId, expiresAt: d.expiresAt, syncedAt: now });
  }
  const gone = [...stored.keys()].filter((name) => !inAccount.has(name));
  await storeAccountDomains(changed, gone);
  return changed.length + gone.length;
}

function refusal(d: ProjectDomain): [string, string] {
  const name = shown(d);
  if (d.type === 'transferred') {
    return [
      'Domain.TransferRefused',
      `The transfer of ${name} was refused. Please check the auth code with your current registrar (and that the domain is unlocked there), then enter it again.`,
    ];
  }
  return ['Domain.RegistrationFailed', `The registry did not register ${name}. Our staff will look into it.`];
}
