import type { Caller } from '../platform/http/auth.js';
import { listTldPrices, putTldPrice, type TldPrice } from './catalog-table.js';

// Staff keep the TLD price table: what we charge to register, renew and transfer a domain per
// year. A TLD is sold while its price is active; availability and orders read it.

export async function tldPricesView() {
  const items = (await listTldPrices()).sort((a, b) => a.tld.localeCompare(b.tld));
  return { items, nextCursor: null };
}

export async function setTldPrice(
  caller: Caller,
  tld: string,
  prices: Pick<TldPrice, 'registerCents' | 'renewCents' | 'transferCents' | 'isActive'>,
): Promise<TldPrice> {
  const price: TldPrice = { tld, ...prices, updatedAt: new Date().toISOString(), updatedBy: caller.email };
  await putTldPrice(price);
  return price;
}
