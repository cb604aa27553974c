import { describe, expect, it } from 'vitest';
import {
  allowedPredecessors,
  canRetryProvisioning,
  canTransition,
  isInProgress,
  PROJECT_STATUSES,
  type ProjectStatus,
} from '../../../shared/projects/project-status.js';

// The lifecycle as the business describes it (seeds/000 §5.2 plus redrive from error).
const ALLOWED: [ProjectStatus, ProjectStatus][] = [
  ['draft', 'pending_payment'],
  ['draft', 'pending_domain'],
  ['draft', 'archived'],
  ['pending_payment', 'pending_domain'],
  ['pending_payment', 'archived'],
  ['pending_domain', 'provisioning'],
  ['pending_domain', 'error'],
  ['pending_domain', 'archived'],
  ['provisioning', 'bootstrapping'],
  ['provisioning', 'error'],
  ['bootstrapping', 'active'],
  ['bootstrapping', 'error'],
  ['active', 'suspended'],
  ['active', 'archived'],
  ['suspended', 'active'],
  ['suspended', 'archived'],
  ['error', 'pending_domain'],
  ['error', 'provisioning'],
  ['error', 'bootstrapping'],
  ['error', 'archived'],
];

const sorted = (statuses: ProjectStatus[]) => [...statuses].sort();

describe('project status transitions', () => {
  it.each(ALLOWED)('allows %s → %s', (from, to) => {
    // Act
    const allowed = canTransition(from, to);

    // Assess
    expect(allowed).toBe(true);
  });

  it.each<[ProjectStatus, ProjectStatus]>([
    ['draft', 'active'],
    ['pending_payment', 'provisioning'],
    ['provisioning', 'active'],
    ['active', 'provisioning'],
    ['active', 'error'],
    ['error', 'active'],
    ['suspended', 'error'],
    ['archived', 'active'],
    ['archived', 'draft'],
  ])('forbids %s → %s', (from, to) => {
    // Act
    const allowed = canTransition(from, to);

    // Assess
    expect(allowed).toBe(false);
  });

  it('allows nothing beyond the listed transitions', () => {
    // Prepare
    const expected = new Set(ALLOWED.map(([from, to]) => `${from} → ${to}`));

    // Act
    const actual = PROJECT_STATUSES.flatMap((from) =>
      PROJECT_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from} → ${to}`),
    );

    // Assess
    expect(new Set(actual)).toEqual(expected);
  });

  it('never "transitions" a project into the status it already has', () => {
    // Act
    const selfLoops = PROJECT_STATUSES.filter((s) => canTransition(s, s));

    // Assess
    expect(selfLoops).toEqual([]);
  });

  it('treats archived as final', () => {
    // Act
    const exits = PROJECT_STATUSES.filter((to) => canTransition('archived', to));

    // Assess
    expect(exits).toEqual([]);
  });
});

describe('allowedPredecessors', () => {
  it('lets only in-progress projects fail into error, never a live one', () => {
    // Act
    const from = allowedPredecessors('error');

    // Assess
    expect(sorted(from)).toEqual(['bootstrapping', 'pending_domain', 'provisioning']);
  });

  it('reaches active only by finishing bootstrapping or by lifting a suspension', () => {
    // Act
    const from = allowedPredecessors('active');

    // Assess
    expect(sorted(from)).toEqual(['bootstrapping', 'suspended']);
  });

  it('lets a redrive resume provisioning from error', () => {
    // Act
    const from = allowedPredecessors('provisioning');

    // Assess
    expect(sorted(from)).toEqual(['error', 'pending_domain']);
  });

  it('archives from anywhere except the running provisioning steps', () => {
    // Act
    const from = allowedPredecessors('archived');

    // Assess
    expect(sorted(from)).toEqual([
      'active',
      'draft',
      'error',
      'pending_domain',
      'pending_payment',
      'suspended',
    ]);
  });

  it('has no way back into draft', () => {
    // Act
    const from = allowedPredecessors('draft');

    // Assess
    expect(from).toEqual([]);
  });

  it.each(PROJECT_STATUSES)('agrees with canTransition for %s', (to) => {
    // Act
    const from = allowedPredecessors(to);

    // Assess
    for (const s of PROJECT_STATUSES) expect(from.includes(s)).toBe(canTransition(s, to));
  });
});

describe('canRetryProvisioning', () => {
  it('lets staff retry a project in error', () => {
    // Act
    const retryable = canRetryProvisioning('error');

    // Assess
    expect(retryable).toBe(true);
  });

  it.each(PROJECT_STATUSES.filter((s) => s !== 'error'))('refuses a retry in status %s', (status) => {
    // Act
    const retryable = canRetryProvisioning(status);

    // Assess
    expect(retryable).toBe(false);
  });
});

describe('isInProgress', () => {
  it('names the statuses in which an execution works on the project', () => {
    // Act
    const inProgress = PROJECT_STATUSES.filter(isInProgress);

    // Assess
    expect(sorted(inProgress)).toEqual(['bootstrapping', 'pending_domain', 'provisioning']);
  });
});
