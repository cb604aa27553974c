import { listBaseDomains } from '../catalog/catalog-table.js';
import { inwx } from '../integrations/inwx/from-secret.js';
import { findProjectIdByDomain } from '../projects/projects-table.js';
import type { DomainName } from './domain-name.js';
import { soldTldPrice } from './sold-tld.js';
import { subdomainProblem } from './subdomain.js';

// GET /v1/domains/availability: a subdomain of one of our base domains is free when its label is
// allowed and no project holds it (free of charge); any other domain must be of a TLD we sell,
// and is asked at INWX (domain.check), with our price to register or to transfer it.

export async function domainAvailability(name: DomainName) {
  const { ascii, unicode } = name;
  const base = (await listBaseDomains()).find((b) => b.isActive && ascii.endsWith(`.${b.domain}`));
  if (base) {
    const label = ascii.slice(0, -(base.domain.length + 1));
    const allowed = !label.includes('.') && subdomainProblem(label) === null;
    const taken = allowed ? (await findProjectIdByDomain(ascii)) !== undefined : true;
    const available = allowed && !taken;
    return { domain: unicode, asciiDomain: ascii, available, priceCents: 0, transferPriceCents: null };
  }
  const price = await soldTldPrice(name);
  if (await findProjectIdByDomain(ascii)) {
    return {
      domain: unicode,
      asciiDomain: ascii,
      available: false,
      priceCents: null,
      transferPriceCents: null,
    };
  }
  const { available } = await (await inwx()).checkDomain(ascii);
  return {
    domain: unicode,
    asciiDomain: ascii,
    available,
    priceCents: available ? price.registerCents : null,
    // Registered elsewhere: it can be transferred in.
    transferPriceCents: available ? null : price.transferCents,
  };
}
