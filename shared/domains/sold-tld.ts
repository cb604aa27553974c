import { getTldPrice } from '../catalog/catalog-table.js';
import { ValidationError } from '../platform/errors.js';
import type { DomainName } from './domain-name.js';

// We sell a domain only of a TLD with an active price (staff keep them: catalog/tld-prices.ts).

/** The TLD's prices; a TLD we don't sell is the customer's input error (400 naming `field`). */
export async function soldTldPrice(name: DomainName, field = 'domain') {
  const price = await getTldPrice(name.tld);
  if (!price?.isActive) {
    throw new ValidationError(`We don't sell .${name.tld} domains.`, [
      { path: field, message: `.${name.tld} is not a TLD we sell` },
    ]);
  }
  return price;
}
