import type { DomainType } from '../projects/schemas.js';

// How long an accepted order takes, as we tell the customer (order confirmation mail). Every
// project goes live on its technical subdomain first, within minutes; a custom domain follows when
// the registry, the previous registrar or DNS allow — only there do we wait on others.

export type DomainWait =
  /** A registration: usually minutes, at most about an hour at the registry. */
  | 'up-to-an-hour'
  /** A transfer: the previous registrar and the registry take up to several days. */
  | 'up-to-several-days'
  /** A domain already ours: attached once its DNS points at the project. */
  | 'once-dns-points-here';

export interface ExpectedDuration {
  /** The technical subdomain goes live within minutes, whatever else was ordered. */
  site: 'minutes';
  /** The custom domain ordered with the project and how long it is likely to take. */
  domain?: { name: string; wait: DomainWait };
}

const WAIT: Record<Exclude<DomainType, 'subdomain'>, DomainWait> = {
  registered: 'up-to-an-hour',
  transferred: 'up-to-several-days',
  owned: 'once-dns-points-here',
};

/** From the order's domains: the custom one (if any) decides what else the customer waits for. */
export function expectedDuration(
  domains: { type: DomainType; domain: string; unicode?: string }[],
): ExpectedDuration {
  const custom = domains.find((d) => d.type !== 'subdomain');
  if (!custom || custom.type === 'subdomain') return { site: 'minutes' };
  return { site: 'minutes', domain: { name: custom.unicode ?? custom.domain, wait: WAIT[custom.type] } };
}
