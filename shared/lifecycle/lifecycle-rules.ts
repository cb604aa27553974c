import type { LifecycleFlow } from '../integrations/stepfunctions/workflows.js';
import type { LicenseStatus } from '../licensing/license.js';
import { allowedPredecessors, isInProgress, type ProjectStatus } from '../projects/project-status.js';
import type { LifecycleAction } from '../projects/projects-table.js';
import type { DomainStatus, DomainType } from '../projects/schemas.js';

// Staff's lifecycle actions on a project (suspend, resume, archive, and a demo's takeover) as rules: which statuses allow
// which action, how a new request meets one still open, and what each action does to licenses and
// domains. The state machines' tasks and the staff routes only carry these out.

export type { LifecycleAction } from '../projects/projects-table.js';

export const LIFECYCLE_ACTIONS = [
  'suspend',
  'resume',
  'archive',
  'takeover',
] as const satisfies readonly LifecycleAction[];

/** The state machine that carries out each action. */
export const FLOW_OF: Record<LifecycleAction, LifecycleFlow> = {
  suspend: 'suspend-project',
  resume: 'resume-project',
  archive: 'archive-project',
  takeover: 'takeover-project',
};

/** Where each action takes the project. */
export const TARGET_STATUS: Record<LifecycleAction, ProjectStatus> = {
  suspend: 'suspended',
  resume: 'active',
  archive: 'archived',
  takeover: 'active',
};

/** How staff and the owner read each action (log entries, mails, 409s). */
export const ACTION_NOUN: Record<LifecycleAction, string> = {
  suspend: 'suspension',
  resume: 'resumption',
  archive: 'archival',
  takeover: 'takeover',
};

/**
 * The statuses a project may be in for staff to ask for `action`: those the transition table
 * (project-status.ts) lets reach its target — except that only a suspended project is resumed
 * (bootstrapping → active is the provisioning flow's own step).
 */
export function statusesAllowing(action: LifecycleAction): ProjectStatus[] {
  // A demo is taken over live: the new owner gets a running site.
  if (action === 'takeover') return ['active'];
  const from = allowedPredecessors(TARGET_STATUS[action]);
  return action === 'resume' ? from.filter((s) => s === 'suspended') : from;
}

export function canRequest(action: LifecycleAction, status: ProjectStatus): boolean {
  return statusesAllowing(action).includes(status);
}

/** Archiving a project in progress waits until its provisioning execution no longer runs. */
export function needsProvisioningStopped(action: LifecycleAction, status: ProjectStatus): boolean {
  return action === 'archive' && isInProgress(status);
}

/**
 * A request meeting one still open (its execution has not finished): the same action is the same
 * request (a double click: its execution is made sure of, never a second one); another action waits
 * while that execution runs, and replaces it once it stopped (failed, or never started).
 */
export function meetOpenRequest(
  open: { action: LifecycleAction } | undefined,
  action: LifecycleAction,
  openExecutionRuns: boolean,
): 'new' | 'same' | 'blocked' | 'replace' {
  if (!open) return 'new';
  if (open.action === action) return 'same';
  return openExecutionRuns ? 'blocked' : 'replace';
}

/** How long a request just recorded counts as running while its execution is not there yet. */
export const START_GRACE_MS = 60_000;

/**
 * Whether an open request's execution counts as running: it runs or is about to be redriven, or it
 * does not exist yet but the request is fresh (its start is under way: another request replacing it
 * now would only make that execution fail).
 */
export function countsAsRunning(
  execution: { status: string } | null,
  requestedAt: string,
  now: Date,
): boolean {
  if (!execution) return now.getTime() - Date.parse(requestedAt) < START_GRACE_MS;
  return execution.status === 'RUNNING' || execution.status === 'PENDING_REDRIVE';
}

const LIFECYCLE_FLOW_NAMES = Object.values(FLOW_OF);

/** `<projectId>-<flow>-<run>`: one name per lifecycle request, so a repeated request starts nothing new. */
export function lifecycleExecutionName(projectId: string, action: LifecycleAction, run: number): string {
  return `${projectId}-${FLOW_OF[action]}-${run}`;
}

/** The action and run of one of the project's lifecycle executions, from its ARN (null if not one). */
export function parseLifecycleExecution(
  executionArn: string,
  projectId: string,
): { action: LifecycleAction; run: number } | null {
  const name = executionArn.split(':').pop() ?? '';
  if (!name.startsWith(`${projectId}-`)) return null;
  const match = /^(.*)-(\d+)$/.exec(name.slice(projectId.length + 1));
  const flow = LIFECYCLE_FLOW_NAMES.find((f) => f === match?.[1]);
  const action = LIFECYCLE_ACTIONS.find((a) => FLOW_OF[a] === flow);
  return action && match ? { action, run: Number(match[2]) } : null;
}

interface LicenseState {
  plugin: string;
  status: LicenseStatus;
}

/** A suspension suspends every license the project can use now (active or trial), noting each one's status. */
export function licensesToSuspend(
  licenses: readonly LicenseState[],
): { plugin: string; from: 'active' | 'trial' }[] {
  return licenses.flatMap((l) =>
    l.status === 'active' || l.status === 'trial' ? [{ plugin: l.plugin, from: l.status }] : [],
  );
}

/**
 * A resume gives back exactly what the suspension took: each license it suspended that is still
 * suspended returns to its earlier status. Licenses suspended before (by staff, one by one) or
 * changed since stay as they are.
 */
export function licensesToRestore(
  licenses: readonly LicenseState[],
  suspendedBySuspension: Readonly<Record<string, 'active' | 'trial'>>,
): { plugin: string; to: 'active' | 'trial' }[] {
  return licenses.flatMap((l) => {
    const to = suspendedBySuspension[l.plugin];
    return l.status === 'suspended' && to ? [{ plugin: l.plugin, to }] : [];
  });
}

/** An archive cancels every license not cancelled already. */
export function licensesToCancel(
  licenses: readonly LicenseState[],
): { plugin: string; from: LicenseStatus }[] {
  return licenses.flatMap((l) => (l.status === 'cancelled' ? [] : [{ plugin: l.plugin, from: l.status }]));
}

interface DomainState {
  domain: string;
  type: DomainType;
  status: DomainStatus;
}

/** Domains that were never ours at the registry (or are gone): nothing to set to expire. */
const NOT_HELD: readonly DomainStatus[] = ['failed', 'removed', 'expired'];

/**
 * An archive lets the domains we registered for the project expire at INWX, except those staff
 * keep. Transferred and owned domains are left to their holder's decision.
 */
export function domainsToExpire<D extends DomainState>(domains: readonly D[], keep: readonly string[]): D[] {
  return domains.filter(
    (d) => d.type === 'registered' && !NOT_HELD.includes(d.status) && !keep.includes(d.domain),
  );
}

/** An archive marks every domain removed (the data stays), except those staff keep. */
export function domainsToRemove<D extends DomainState>(domains: readonly D[], keep: readonly string[]): D[] {
  return domains.filter((d) => d.status !== 'removed' && !keep.includes(d.domain));
}

/** Domains staff may keep when archiving: the project's custom domains. */
export const canBeKept = (d: DomainState): boolean => d.type !== 'subdomain' && d.status !== 'removed';
