import { DomRobotFailure, type Params, type Result } from './domrobot.js';
import type { InwxSimDomain } from './model.js';
import { normalise, wildcard } from './names.js';
import { optInt, optStr, str, stringList } from './params.js';
import { DEFAULT_NS, type InwxStore } from './store.js';

// The domain.* methods: availability, registration, transfer in, and polling their status.
// Orders complete on the next domain.info; transfers after `transferPolls` of them.

/** EUR per year by TLD, for domain.check / create / transfer answers. */
const PRICES: Record<string, number> = { de: 5.95, com: 11.9, net: 13.9, eu: 6.9, gmbh: 29.9 };
const DEFAULT_PRICE = 14.9;

export function domainMethods(
  store: InwxStore,
  transferPolls: number,
): Record<string, (p: Params) => Result> {
  const { state } = store;

  return {
    'domain.check': (p) => {
      const names = stringList(p.domain) ?? [];
      if (names.length === 0) throw new DomRobotFailure(2003, 'Parameter domain missing');
      const domain = names.map((raw) => {
        const d = normalise(raw);
        const [sld = '', ...rest] = d.split('.');
        const avail = !state.domains[d] && !registeredElsewhere(d);
        return {
          domain: d,
          avail: avail ? 1 : 0,
          status: avail ? 'free' : 'taken',
          name: sld,
          tld: rest.join('.'),
          checkmethod: 'simulator',
          price: priceOf(d),
          checktime: 0.01,
        };
      });
      return { code: 1000, resData: { domain } };
    },
    'domain.create': (p) => {
      const d = normalise(str(p, 'domain'));
      if (state.domains[d] || registeredElsewhere(d))
        throw new DomRobotFailure(2302, `Domain ${d} is not available`);
      const entry: InwxSimDomain = {
        roId: store.newId(),
        domain: d,
        status: 'ORDER PENDING',
        crDate: new Date().toISOString(),
        ns: stringList(p.ns) ?? DEFAULT_NS,
      };
      state.domains[d] = entry;
      store.save();
      return { code: 1001, resData: { roId: entry.roId, price: priceOf(d), currency: 'EUR' } };
    },
    'domain.transfer': (p) => {
      const d = normalise(str(p, 'domain'));
      if (state.domains[d]) throw new DomRobotFailure(2302, `Domain ${d} is already in this account`);
      if (!registeredElsewhere(d)) throw new DomRobotFailure(2303, `Domain ${d} is not registered`);
      const authCode = optStr(p, 'authCode');
      const entry: InwxSimDomain = {
        roId: store.newId(),
        domain: d,
        status: 'TRANSFER PENDING',
        crDate: new Date().toISOString(),
        ns: stringList(p.ns) ?? DEFAULT_NS,
        transfer: { polls: 0, fails: authCode === 'wrong' },
        ...(authCode ? { authCode } : {}),
      };
      state.domains[d] = entry;
      store.save();
      return { code: 1001, resData: { roId: entry.roId, price: priceOf(d), currency: 'EUR' } };
    },
    'domain.info': (p) => {
      const d =
        p.roId === undefined
          ? state.domains[normalise(str(p, 'domain'))]
          : Object.values(state.domains).find((x) => x.roId === Number(p.roId));
      if (!d) throw new DomRobotFailure(2303, 'Domain not found');
      if (d.transfer?.fails) {
        // The losing registrar refused the transfer (wrong auth code): the object is gone.
        delete state.domains[d.domain];
        store.save();
        throw new DomRobotFailure(2303, 'Domain not found');
      }
      if (d.status === 'ORDER PENDING') d.status = 'OK';
      if (d.transfer && d.status === 'TRANSFER PENDING') {
        d.transfer.polls += 1;
        if (d.transfer.polls >= transferPolls) d.status = 'OK';
      }
      store.save();
      return { code: 1000, resData: domainInfo(d) };
    },
    'domain.list': (p) => {
      const match = wildcard(optStr(p, 'domain') ?? '*');
      const all = Object.values(state.domains).filter((d) => match(d.domain));
      const page = optInt(p, 'page') ?? 1;
      const limit = optInt(p, 'pagelimit') ?? 20;
      return {
        code: 1000,
        resData: { count: all.length, domain: all.slice((page - 1) * limit, page * limit).map(domainInfo) },
      };
    },
  };
}

/** The default when the options name none: VRS_SIM_TRANSFER_POLLS if a whole number ≥ 0, else 3. */
export function envTransferPolls(): number {
  const n = Number(process.env.VRS_SIM_TRANSFER_POLLS);
  return process.env.VRS_SIM_TRANSFER_POLLS && Number.isInteger(n) && n >= 0 ? n : 3;
}

/** Domains whose first label starts with `taken` are registered at another registrar. */
function registeredElsewhere(domain: string): boolean {
  return domain.startsWith('taken');
}

function priceOf(domain: string): number {
  return PRICES[domain.split('.').pop() ?? ''] ?? DEFAULT_PRICE;
}

/** Registered for a year from creation, as domain.info and domain.list describe a domain. */
function domainInfo(d: InwxSimDomain): Params {
  const crDate = new Date(d.crDate);
  const exDate = new Date(crDate);
  exDate.setFullYear(exDate.getFullYear() + 1);
  return {
    roId: d.roId,
    domain: d.domain,
    'domain-ace': d.domain,
    period: '1Y',
    crDate,
    exDate,
    upDate: crDate,
    status: d.status,
    transferLock: 1,
    renewalMode: 'AUTORENEW',
    transferMode: 'DEFAULT',
    ns: d.ns,
    ...(d.authCode ? { authCode: d.authCode } : {}),
  };
}
