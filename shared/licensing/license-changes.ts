import type { BillingCycle } from '../catalog/pricing.js';
import type { ProjectStatus } from '../projects/project-status.js';
import { type LicenseStatus, licenseExpiry } from './license.js';

// Staff change a license by hand (PUT /v1/admin/projects/{id}/licenses/{plugin}) and mark an
// invoice paid: the rules, as pure functions. What a change does is decided here; the licenses
// table writes it on condition that the license and the project are still as they were read.
//
// - activate: the license becomes `active` — from any status, also `cancelled` (staff reinstate
//   it) — except in an archived project. With `until` it is active until then; without, it keeps
//   its expiry, which must not have passed (an active license past its expiry entitles nothing:
//   give `until`, or extend it).
// - suspend: the license becomes `suspended`, its expiry kept. Not for a cancelled license.
// - extend: the expiry moves to `until`, or by one billing cycle from the later of now and the
//   current expiry. An `expired` license becomes `active` again; any other keeps its status (a
//   suspended one stays suspended: paying does not lift a suspension; resuming the project does).
//   A one-off license never expires, so it cannot be extended; a cancelled one must be activated.
// - Nothing ever shortens a license: `until` must be in the future and not before its expiry.
// - A license already as the action would leave it is `unchanged`: a repeated request writes no
//   second history entry. (An extension by one cycle is not a repeat: each one moves the expiry.)
// - While a suspension, resumption or archival of the project is under way, activate and suspend
//   wait (409): those flows decide licenses themselves. While the project is suspended, activating
//   or suspending a license the suspension took hands it to staff: the resume no longer gives it
//   back (it stays as staff left it). An extension leaves it to the resume.

export const STAFF_LICENSE_ACTIONS = ['activate', 'suspend', 'extend'] as const;
export type StaffLicenseAction = (typeof STAFF_LICENSE_ACTIONS)[number];

/** The history action each staff action writes. */
export const HISTORY_ACTION = {
  activate: 'activated',
  suspend: 'suspended',
  extend: 'extended',
} as const satisfies Record<StaffLicenseAction, string>;

export interface LicenseState {
  plugin: string;
  status: LicenseStatus;
  billingCycle: BillingCycle;
  expiresAt: string | null;
}

export interface ProjectLicenseContext {
  status: ProjectStatus;
  /** The licenses the project's suspension took (plugin → status before), which a resume gives back. */
  suspendedLicenses?: Record<string, 'active' | 'trial'> | undefined;
  /** An open lifecycle request (suspend, resume, archive) whose execution has not finished. */
  lifecycleRequest?: { action: string } | undefined;
}

export interface LicenseChangeRequest {
  action: StaffLicenseAction;
  /** ISO time; activate and extend only. */
  until?: string | undefined;
}

export type RefusalCode =
  | 'project-archived'
  | 'lifecycle-under-way'
  | 'license-cancelled'
  | 'never-expires'
  | 'until-not-in-future'
  | 'until-shortens'
  | 'expired-needs-until';

/** `conflict`: the license's or project's state does not allow it (409); `not-possible`: 422. */
export interface LicenseRefusal {
  outcome: 'refused';
  code: RefusalCode;
  kind: 'conflict' | 'not-possible';
  message: string;
}

export interface LicenseTarget {
  status: LicenseStatus;
  expiresAt: string | null;
}

export type LicenseDecision =
  | {
      outcome: 'change';
      to: LicenseTarget;
      /** Take the license out of the project's `suspendedLicenses` (the resume leaves it be). */
      releaseFromSuspension: boolean;
    }
  | { outcome: 'unchanged' }
  | LicenseRefusal;

const refuse = (code: RefusalCode, kind: LicenseRefusal['kind'], message: string): LicenseRefusal => ({
  outcome: 'refused',
  code,
  kind,
  message,
});

/** What `request` does to `license` of a project in `project`'s state, at `now`. */
export function decideLicenseChange(
  license: LicenseState,
  project: ProjectLicenseContext,
  request: LicenseChangeRequest,
  now: Date,
): LicenseDecision {
  const { action } = request;
  const name = `License "${license.plugin}"`;
  if (project.status === 'archived') {
    return refuse(
      'project-archived',
      'conflict',
      `The project is archived: its licenses stay cancelled. ${name} was not changed.`,
    );
  }
  if (action !== 'extend' && project.lifecycleRequest) {
    return refuse(
      'lifecycle-under-way',
      'conflict',
      `A ${project.lifecycleRequest.action} of this project is under way and decides its licenses; send this once it has finished.`,
    );
  }
  const target = targetOf(license, request, now);
  if ('outcome' in target) return target;
  const releaseFromSuspension =
    action !== 'extend' &&
    project.status === 'suspended' &&
    project.suspendedLicenses?.[license.plugin] !== undefined;
  if (
    !releaseFromSuspension &&
    target.status === license.status &&
    sameInstant(target.expiresAt, license.expiresAt)
  ) {
    return { outcome: 'unchanged' };
  }
  return { outcome: 'change', to: target, releaseFromSuspension };
}

function targetOf(
  license: LicenseState,
  request: LicenseChangeRequest,
  now: Date,
): LicenseTarget | LicenseRefusal {
  const name = `License "${license.plugin}"`;
  if (request.action !== 'activate' && license.status === 'cancelled') {
    return refuse(
      'license-cancelled',
      'conflict',
      `${name} is cancelled; activate it first (with until, if its expiry has passed).`,
    );
  }
  if (request.until !== undefined) {
    const untilRefusal = checkUntil(license, request.until, now);
    if (untilRefusal) return untilRefusal;
  }
  const until = request.until === undefined ? undefined : new Date(request.until).toISOString();
  switch (request.action) {
    case 'suspend':
      return { status: 'suspended', expiresAt: license.expiresAt };
    case 'activate': {
      const expiresAt = until ?? license.expiresAt;
      if (expiresAt !== null && Date.parse(expiresAt) <= now.getTime()) {
        return refuse(
          'expired-needs-until',
          'not-possible',
          `${name} expired at ${expiresAt}; active, it would still entitle nothing. Give until (a future time) or extend it.`,
        );
      }
      return { status: 'active', expiresAt };
    }
    case 'extend': {
      if (license.billingCycle === 'once') {
        return refuse('never-expires', 'not-possible', `${name} is a one-off purchase and never expires.`);
      }
      return {
        status: license.status === 'expired' ? 'active' : license.status,
        expiresAt: until ?? nextCycleEnd(license, now),
      };
    }
  }
}

function checkUntil(license: LicenseState, until: string, now: Date): LicenseRefusal | undefined {
  const name = `License "${license.plugin}"`;
  if (license.billingCycle === 'once') {
    return refuse(
      'never-expires',
      'not-possible',
      `${name} is a one-off purchase and never expires; leave out until.`,
    );
  }
  const at = Date.parse(until);
  if (at <= now.getTime()) {
    return refuse('until-not-in-future', 'not-possible', `until (${until}) must be in the future.`);
  }
  if (license.expiresAt !== null && at < Date.parse(license.expiresAt)) {
    return refuse(
      'until-shortens',
      'not-possible',
      `until (${until}) is before the license's expiry (${license.expiresAt}); nothing shortens a license — suspend it instead.`,
    );
  }
  return undefined;
}

/** One billing cycle from the later of now and the current expiry (a late payment starts from now). */
export function nextCycleEnd(license: Pick<LicenseState, 'billingCycle' | 'expiresAt'>, now: Date): string {
  const current = license.expiresAt === null ? 0 : Date.parse(license.expiresAt);
  const from = new Date(Math.max(now.getTime(), current));
  return (licenseExpiry(license.billingCycle, from) ?? from).toISOString();
}

function sameInstant(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return Date.parse(a) === Date.parse(b);
}

/** Whether a license is now as a decided change leaves it (a concurrent duplicate got there first). */
export function hasReached(license: LicenseTarget, target: LicenseTarget): boolean {
  return license.status === target.status && sameInstant(license.expiresAt, target.expiresAt);
}

export interface LicenseExtension {
  plugin: string;
  from: LicenseTarget;
  to: LicenseTarget;
}

/**
 * A paid invoice extends each recurring (monthly, yearly) license that is not cancelled: by one
 * billing cycle from the later of now and its expiry, or to `paidUntil` — a license that runs
 * past `paidUntil` already keeps its expiry. Statuses as for `extend` (expired → active).
 */
export function invoicePaymentExtensions(
  licenses: readonly LicenseState[],
  now: Date,
  paidUntil?: string,
): LicenseExtension[] {
  return licenses.flatMap((l) => {
    if (l.billingCycle === 'once' || l.status === 'cancelled') return [];
    const expiresAt = paidUntil ? new Date(paidUntil).toISOString() : nextCycleEnd(l, now);
    if (l.expiresAt !== null && Date.parse(expiresAt) <= Date.parse(l.expiresAt)) return [];
    const from = { status: l.status, expiresAt: l.expiresAt };
    return [
      { plugin: l.plugin, from, to: { status: l.status === 'expired' ? 'active' : l.status, expiresAt } },
    ];
  });
}

/** Licenses an invoice can pay for at all (recurring, not cancelled). */
export const isRecurring = (l: Pick<LicenseState, 'billingCycle' | 'status'>): boolean =>
  l.billingCycle !== 'once' && l.status !== 'cancelled';
