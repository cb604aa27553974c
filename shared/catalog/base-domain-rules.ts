import type { FieldError } from '../platform/errors.js';
import type { BaseDomain } from './catalog-table.js';

// Base domains (admin): exactly one active default at all times. Pure: which base domains a change
// writes and what makes it impossible; base-domains-table.ts writes them in one transaction whose
// conditions restate what was read.

export interface BaseDomainWrite {
  domain: string;
  set: Partial<Pick<BaseDomain, 'isActive' | 'isDefault'>>;
  /** What the write expects the item to hold still (its condition). */
  expect: Partial<Pick<BaseDomain, 'isActive' | 'isDefault'>> | 'absent';
}

export type BaseDomainPlan = { writes: BaseDomainWrite[] } | { conflicts: FieldError[] };

/** A new base domain; it becomes the default when asked, or when there is no default yet. */
export function planAddBaseDomain(
  all: readonly BaseDomain[],
  domain: string,
  isDefault: boolean,
): BaseDomainPlan {
  if (all.some((d) => d.domain === domain))
    return { conflicts: [{ path: 'domain', message: `${domain} is a base domain already` }] };
  const current = all.find((d) => d.isDefault);
  const becomesDefault = isDefault || !current;
  return {
    writes: [
      { domain, set: { isActive: true, isDefault: becomesDefault }, expect: 'absent' },
      ...(becomesDefault && current ? [unsetDefault(current)] : []),
    ],
  };
}

/** Activate, deactivate or make default. The default can only be replaced, never left without one. */
export function planChangeBaseDomain(
  all: readonly BaseDomain[],
  target: BaseDomain,
  change: { isActive?: boolean | undefined; isDefault?: boolean | undefined },
): BaseDomainPlan {
  const conflicts: FieldError[] = [];
  const isActive = change.isActive ?? target.isActive;
  if (target.isDefault && change.isActive === false)
    conflicts.push({
      path: 'isActive',
      message: 'the default base domain cannot be deactivated: make another one the default first',
    });
  if (target.isDefault && change.isDefault === false)
    conflicts.push({
      path: 'isDefault',
      message: 'there must be a default: make another base domain the default instead',
    });
  if (change.isDefault === true && !isActive)
    conflicts.push({
      path: 'isDefault',
      message: 'an inactive base domain cannot be the default: activate it too',
    });
  if (conflicts.length) return { conflicts };

  const makesDefault = change.isDefault === true && !target.isDefault;
  const set: BaseDomainWrite['set'] = {};
  if (change.isActive !== undefined) set.isActive = change.isActive;
  if (makesDefault) set.isDefault = true;
  const previous = makesDefault ? all.find((d) => d.isDefault && d.domain !== target.domain) : undefined;
  return {
    writes: [
      { domain: target.domain, set, expect: { isActive: target.isActive, isDefault: target.isDefault } },
      ...(previous ? [unsetDefault(previous)] : []),
    ],
  };
}

const unsetDefault = (d: BaseDomain): BaseDomainWrite => ({
  domain: d.domain,
  set: { isDefault: false },
  expect: { isDefault: true },
});
