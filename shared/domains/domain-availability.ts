import { listBaseDomains } from '../catalog/catalog-table.js';
import { inwx } from '../integrations/inwx/from-secret.js';
import { findProjectIdByDomain } from '../projects/projects-table.js';
import { subdomainProblem } from './subdomain.js';

// GET /v1/domains/availability: a subdomain of one of our base domains is free when its label is
// allowed and no project holds it (free of charge); any other domain is asked at INWX.

export async function domainAvailability(domain: string) {
  const base = (await listBaseDomains()).find((b) => b.isActive && domain.endsWith(`.${b.domain}`));
  if (base) {
    const label = domain.slice(0, -(base.domain.length + 1));
    const allowed = !label.includes('.') && subdomainProblem(label) === null;
    const taken = allowed ? (await findProjectIdByDomain(domain)) !== undefined : true;
    return { domain, available: allowed && !taken, priceCents: 0 };
  }
  if (await findProjectIdByDomain(domain)) return { domain, available: false, priceCents: null };
  const result = await (await inwx()).checkDomain(domain);
  return { domain, available: result.available, priceCents: result.priceCents };
}
