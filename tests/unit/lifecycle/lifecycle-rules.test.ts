import { describe, expect, it } from 'vitest';
import {
  canBeKept,
  canRequest,
  countsAsRunning,
  domainsToExpire,
  domainsToRemove,
  LIFECYCLE_ACTIONS,
  type LifecycleAction,
  licensesToCancel,
  licensesToRestore,
  licensesToSuspend,
  lifecycleExecutionName,
  meetOpenRequest,
  needsProvisioningStopped,
  parseLifecycleExecution,
  statusesAllowing,
} from '../../../shared/lifecycle/lifecycle-rules.js';
import { PROJECT_STATUSES } from '../../../shared/projects/project-status.js';

const PROJECT = '3f2b8c4e-6a1d-4e7f-9b2c-5d8e1a4f7c30';

describe('which statuses allow which lifecycle action', () => {
  it('suspends only an active project, resumes only a suspended one', () => {
    expect(statusesAllowing('suspend')).toEqual(['active']);
    expect(statusesAllowing('resume')).toEqual(['suspended']);
  });

  it('archives a project from anything but in provisioning, bootstrapping or archived already', () => {
    expect(statusesAllowing('archive').sort()).toEqual(
      ['draft', 'pending_payment', 'pending_domain', 'active', 'suspended', 'error'].sort(),
    );
  });

  it.each(PROJECT_STATUSES.flatMap((status) => LIFECYCLE_ACTIONS.map((action) => [action, status] as const)))(
    '%s from %s agrees with statusesAllowing',
    (action, status) => {
      expect(canRequest(action, status)).toBe(statusesAllowing(action).includes(status));
    },
  );

  it('waits for a running provisioning only when archiving a project in progress', () => {
    expect(needsProvisioningStopped('archive', 'pending_domain')).toBe(true);
    expect(needsProvisioningStopped('archive', 'error')).toBe(false);
    expect(needsProvisioningStopped('archive', 'active')).toBe(false);
    expect(needsProvisioningStopped('suspend', 'active')).toBe(false);
  });
});

describe('a request meeting one still open', () => {
  it('is new without an open request, whether or not anything runs', () => {
    expect(meetOpenRequest(undefined, 'suspend', false)).toBe('new');
  });

  it('is the same request for the same action (a double click), running or not', () => {
    expect(meetOpenRequest({ action: 'suspend' }, 'suspend', true)).toBe('same');
    expect(meetOpenRequest({ action: 'suspend' }, 'suspend', false)).toBe('same');
  });

  it('waits while another action runs, and replaces it once its execution stopped', () => {
    expect(meetOpenRequest({ action: 'suspend' }, 'archive', true)).toBe('blocked');
    expect(meetOpenRequest({ action: 'suspend' }, 'archive', false)).toBe('replace');
  });
});

describe("whether an open request's execution counts as running", () => {
  const at = '2025-02-04T10:00:00.000Z';
  const later = (ms: number) => new Date(Date.parse(at) + ms);

  it('does while it runs or is about to be redriven, not once it failed or ended', () => {
    expect(countsAsRunning({ status: 'RUNNING' }, at, later(3_600_000))).toBe(true);
    expect(countsAsRunning({ status: 'PENDING_REDRIVE' }, at, later(0))).toBe(true);
    expect(countsAsRunning({ status: 'FAILED' }, at, later(0))).toBe(false);
    expect(countsAsRunning({ status: 'ABORTED' }, at, later(0))).toBe(false);
  });

  it('does for a minute while its execution is not there yet (its start is under way), not after', () => {
    expect(countsAsRunning(null, at, later(59_000))).toBe(true);
    expect(countsAsRunning(null, at, later(61_000))).toBe(false);
  });
});

describe('execution names', () => {
  it.each(LIFECYCLE_ACTIONS)('%s: <projectId>-<flow>-<run>, and back', (action: LifecycleAction) => {
    const name = lifecycleExecutionName(PROJECT, action, 12);
    expect(name).toBe(`${PROJECT}-${action}-project-12`);
    const arn = `arn:aws:states:eu-central-1:1:execution:vrs-${action}-project:${name}`;
    expect(parseLifecycleExecution(arn, PROJECT)).toEqual({ action, run: 12 });
  });

  it('does not take a provisioning or attach execution, or another project, for a lifecycle one', () => {
    const arn = (name: string) => `arn:aws:states:eu-central-1:1:execution:vrs-x:${name}`;
    expect(parseLifecycleExecution(arn(`${PROJECT}-deploy-project-1`), PROJECT)).toBeNull();
    expect(parseLifecycleExecution(arn(`${PROJECT}-attach-0123456789-1`), PROJECT)).toBeNull();
    expect(parseLifecycleExecution(arn(`other-suspend-project-1`), PROJECT)).toBeNull();
  });
});

describe('licenses', () => {
  const licenses = [
    { plugin: 'a', status: 'active' as const },
    { plugin: 'b', status: 'trial' as const },
    { plugin: 'c', status: 'suspended' as const },
    { plugin: 'd', status: 'expired' as const },
    { plugin: 'e', status: 'cancelled' as const },
  ];

  it('a suspension suspends the active and trial ones, noting the status each had', () => {
    expect(licensesToSuspend(licenses)).toEqual([
      { plugin: 'a', from: 'active' },
      { plugin: 'b', from: 'trial' },
    ]);
  });

  it('a resume restores exactly those, leaving a license suspended before the suspension suspended', () => {
    const afterSuspension = licenses.map((l) =>
      l.plugin === 'a' || l.plugin === 'b' ? { ...l, status: 'suspended' as const } : l,
    );
    expect(licensesToRestore(afterSuspension, { a: 'active', b: 'trial' })).toEqual([
      { plugin: 'a', to: 'active' },
      { plugin: 'b', to: 'trial' },
    ]);
  });

  it('a resume leaves a license changed during the suspension as it is', () => {
    const changed = [
      { plugin: 'a', status: 'cancelled' as const },
      { plugin: 'b', status: 'suspended' as const },
    ];
    expect(licensesToRestore(changed, { a: 'active', b: 'trial' })).toEqual([{ plugin: 'b', to: 'trial' }]);
    expect(licensesToRestore(changed, {})).toEqual([]);
  });

  it('an archive cancels every license not cancelled yet', () => {
    expect(licensesToCancel(licenses).map((l) => [l.plugin, l.from])).toEqual([
      ['a', 'active'],
      ['b', 'trial'],
      ['c', 'suspended'],
      ['d', 'expired'],
    ]);
  });
});

describe('domains on archival', () => {
  const domains = [
    { domain: 'mueller.vrs.gmbh', type: 'subdomain' as const, status: 'active' as const },
    { domain: 'mueller-bau.de', type: 'registered' as const, status: 'active' as const },
    { domain: 'mueller-shop.de', type: 'registered' as const, status: 'active' as const },
    { domain: 'mueller-alt.de', type: 'registered' as const, status: 'failed' as const },
    { domain: 'mueller-neu.de', type: 'registered' as const, status: 'pending_dns' as const },
    { domain: 'mueller.com', type: 'transferred' as const, status: 'active' as const },
    { domain: 'mueller.net', type: 'owned' as const, status: 'removed' as const },
  ];
  const names = (ds: { domain: string }[]) => ds.map((d) => d.domain);

  it('lets the domains we registered expire, unless kept or never held', () => {
    expect(names(domainsToExpire(domains, []))).toEqual([
      'mueller-bau.de',
      'mueller-shop.de',
      'mueller-neu.de',
    ]);
    expect(names(domainsToExpire(domains, ['mueller-shop.de']))).toEqual([
      'mueller-bau.de',
      'mueller-neu.de',
    ]);
  });

  it('marks every domain removed but the kept ones and those removed already', () => {
    expect(names(domainsToRemove(domains, ['mueller-shop.de']))).toEqual([
      'mueller.vrs.gmbh',
      'mueller-bau.de',
      'mueller-alt.de',
      'mueller-neu.de',
      'mueller.com',
    ]);
  });

  it('keeps only custom domains the project still has', () => {
    expect(domains.filter(canBeKept).map((d) => d.domain)).toEqual([
      'mueller-bau.de',
      'mueller-shop.de',
      'mueller-alt.de',
      'mueller-neu.de',
      'mueller.com',
    ]);
  });
});
