import type { DomainStatus, DomainType } from './schemas.js';

// A project's domains by status, as rules. Custom domains (registered, transferred, owned) are the
// registry's: jobs look at them by status (reconcile: the pending ones; domain-sync: the active
// ones), so their items carry a status index entry. A technical subdomain lives under our base
// domain; its status is the provisioning flow's alone.

/** An attach-domain execution works on a custom domain in one of these. */
export const PENDING_DOMAIN_STATUSES = [
  'pending_registration',
  'pending_transfer',
  'pending_dns',
] as const satisfies readonly DomainStatus[];

export const isCustomDomain = (d: { type: DomainType }): boolean => d.type !== 'subdomain';

export const isPendingStatus = (status: DomainStatus): boolean =>
  (PENDING_DOMAIN_STATUSES as readonly DomainStatus[]).includes(status);

/** A custom domain still to be attached: an attach-domain execution must be working on it. */
export const awaitsAttach = (d: { type: DomainType; status: DomainStatus }): boolean =>
  isCustomDomain(d) && isPendingStatus(d.status);
