// Project lifecycle (seeds/000 §5.2) as data: the transition table is the single source of truth,
// and repositories turn each transition into a conditional write on the old status.

export const PROJECT_STATUSES = [
  'draft',
  'pending_payment',
  'pending_domain',
  'provisioning',
  'bootstrapping',
  'active',
  'suspended',
  'archived',
  'error',
] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/** Statuses in which an orchestrator execution is working on the project. */
export const IN_PROGRESS_STATUSES = ['pending_domain', 'provisioning', 'bootstrapping'] as const;
export type InProgressStatus = (typeof IN_PROGRESS_STATUSES)[number];

const TRANSITIONS: Record<ProjectStatus, readonly ProjectStatus[]> = {
  draft: ['pending_payment', 'pending_domain', 'archived'],
  pending_payment: ['pending_domain', 'archived'],
  pending_domain: ['provisioning', 'error', 'archived'],
  provisioning: ['bootstrapping', 'error'],
  bootstrapping: ['active', 'error'],
  active: ['suspended', 'archived'],
  suspended: ['active', 'archived'],
  archived: [],
  // A redrive returns the project to the in-progress status it failed in.
  error: ['pending_domain', 'provisioning', 'bootstrapping', 'archived'],
};

export function canTransition(from: ProjectStatus, to: ProjectStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Every status from which `to` may be reached: the condition a status write states. */
export function allowedPredecessors(to: ProjectStatus): ProjectStatus[] {
  return PROJECT_STATUSES.filter((from) => canTransition(from, to));
}

export function isInProgress(status: ProjectStatus): status is InProgressStatus {
  return (IN_PROGRESS_STATUSES as readonly string[]).includes(status);
}

/** Staff may retry a failed provisioning (seeds/002 `can_retry_provisioning`, without the cap: staff decide). */
export function canRetryProvisioning(status: ProjectStatus): boolean {
  return status === 'error';
}
