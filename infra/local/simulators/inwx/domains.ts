import { DomRobotFailure, type Params, type Result } from './domrobot.js';
import type { InwxSimContacts, InwxSimDomain, InwxSimDomainView } from './model.js';
import { normalise, wildcard } from './names.js';
import { optInt, optStr, str, stringList } from './params.js';
import { DEFAULT_NS, type InwxStore } from './store.js';

// The domain.* methods: availability, registration, transfer in, and their status. An order completes
// a fixed time after it was placed (stored timestamps, so polling changes nothing and a restart keeps
// the schedule); a transfer with auth code `wrong` is refused then, and the domain is gone. A domain
// of the account can change its renewal mode (domain.update), be renewed (domain.renew, which needs
// its current expiry date, as INWX does) and be deleted (domain.delete: gone from the account at
// once here; INWX keeps it a while in the registry's grace periods).

/** EUR per year by TLD, for domain.check / create / transfer answers. */
const PRICES: Record<string, number> = { de: 5.95, com: 11.9, net: 13.9, eu: 6.9, gmbh: 29.9 };
const DEFAULT_PRICE = 14.9;
const RENEWAL_MODES = new Set(['AUTORENEW', 'AUTODELETE', 'AUTOEXPIRE']);
const ROLES = ['registrant', 'admin', 'tech', 'billing'] as const;

export interface DomainTiming {
  now: () => number;
  registrationMs: number;
  transferMs: number;
}

export function domainMethods(store: InwxStore, timing: DomainTiming): Record<string, (p: Params) => Result> {
  const { state } = store;
  const { now } = timing;
  /** The domain as the account shows it now; undefined if not in the account (or its transfer failed). */
  const visible = (name: string): InwxSimDomainView | undefined => {
    const d = state.domains[name];
    return d && domainView(d, now());
  };
  const contactsOf = (p: Params, required: boolean): InwxSimContacts | undefined => {
    if (!required && ROLES.every((r) => p[r] === undefined)) return undefined;
    const ids = ROLES.map((role) => {
      const id = optInt(p, role);
      if (id === undefined) throw new DomRobotFailure(2003, `Parameter ${role} missing`);
      if (!state.contacts[id]) throw new DomRobotFailure(2303, `Contact ${id} (${role}) not found`);
      return id;
    });
    const [registrant = 0, admin = 0, tech = 0, billing = 0] = ids;
    return { registrant, admin, tech, billing };
  };
  const order = (p: Params, origin: InwxSimDomain['origin'], contacts: InwxSimContacts | undefined) => {
    const d = normalise(str(p, 'domain'));
    const period = optStr(p, 'period') ?? '1Y';
    if (!/^([1-9]|10)Y$/.test(period)) throw new DomRobotFailure(2004, 'period must be 1Y … 10Y');
    const renewalMode = optStr(p, 'renewalMode') ?? 'AUTORENEW';
    if (!RENEWAL_MODES.has(renewalMode)) throw new DomRobotFailure(2004, 'renewalMode is not supported');
    const at = now();
    const entry: InwxSimDomain = {
      roId: store.newId(),
      domain: d,
      origin,
      crDate: new Date(at).toISOString(),
      completesAt: new Date(
        at + (origin === 'create' ? timing.registrationMs : timing.transferMs),
      ).toISOString(),
      ...(origin === 'transfer' && optStr(p, 'authCode') === 'wrong' ? { transferFails: true } : {}),
      period,
      renewalMode,
      ...(contacts ? { contacts } : {}),
      ns: stringList(p.ns) ?? DEFAULT_NS,
    };
    state.domains[d] = entry;
    store.save();
    return { code: 1001, resData: { roId: entry.roId, price: priceOf(d), currency: 'EUR' } };
  };

  /** A domain of the account that is registered (not pending): what update, renew and delete act on. */
  const ownDomain = (name: string): InwxSimDomainView => {
    const d = visible(normalise(name));
    if (!d) throw new DomRobotFailure(2303, `Domain ${name} not found`);
    if (d.status !== 'OK') throw new DomRobotFailure(2300, `Domain ${name} has a pending order`);
    return d;
  };

  return {
    'domain.check': (p) => {
      const names = stringList(p.domain) ?? [];
      if (names.length === 0) throw new DomRobotFailure(2003, 'Parameter domain missing');
      const domain = names.map((d) => {
        const [sld = '', ...rest] = d.split('.');
        const avail = !visible(d) && !registeredElsewhere(d);
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
      if (visible(d) || registeredElsewhere(d))
        throw new DomRobotFailure(2302, `Domain ${d} is not available`);
      return order(p, 'create', contactsOf(p, true));
    },
    'domain.transfer': (p) => {
      const d = normalise(str(p, 'domain'));
      const existing = visible(d);
      if (existing?.status === 'TRANSFER PENDING')
        throw new DomRobotFailure(2300, `Domain ${d} has a pending transfer`);
      if (existing) throw new DomRobotFailure(2302, `Domain ${d} is already in this account`);
      if (!registeredElsewhere(d)) throw new DomRobotFailure(2303, `Domain ${d} is not registered`);
      // A transfer that failed before may be tried again (with the right auth code).
      return order(p, 'transfer', contactsOf(p, false));
    },
    'domain.info': (p) => {
      const stored =
        p.roId === undefined
          ? state.domains[normalise(str(p, 'domain'))]
          : Object.values(state.domains).find((x) => x.roId === Number(p.roId));
      const d = stored && domainView(stored, now());
      if (!d) throw new DomRobotFailure(2303, 'Domain not found');
      return { code: 1000, resData: domainInfo(d) };
    },
    'domain.update': (p) => {
      const d = ownDomain(str(p, 'domain'));
      const renewalMode = optStr(p, 'renewalMode');
      if (renewalMode !== undefined) {
        if (!RENEWAL_MODES.has(renewalMode)) throw new DomRobotFailure(2004, 'renewalMode is not supported');
        state.domains[d.domain]!.renewalMode = renewalMode;
      }
      const ns = stringList(p.ns);
      if (ns) state.domains[d.domain]!.ns = ns;
      store.save();
      return { code: 1000, resData: { price: 0 } };
    },
    'domain.renew': (p) => {
      const d = ownDomain(str(p, 'domain'));
      const period = str(p, 'period');
      if (!/^([1-9]|10)Y$/.test(period)) throw new DomRobotFailure(2004, 'period must be 1Y … 10Y');
      if (dateOnly(p.expiration) !== d.exDate?.slice(0, 10))
        throw new DomRobotFailure(2004, 'expiration is not the current expiration date');
      const stored = state.domains[d.domain]!;
      stored.renewedYears = (stored.renewedYears ?? 0) + Number.parseInt(period, 10);
      store.save();
      return { code: 1000, resData: { exDate: new Date(domainView(stored, now())!.exDate!) } };
    },
    'domain.delete': (p) => {
      const d = ownDomain(str(p, 'domain'));
      delete state.domains[d.domain];
      store.save();
      return { code: 1000 };
    },
    'domain.list': (p) => {
      const match = wildcard(optStr(p, 'domain') ?? '*');
      const statuses = p.status === undefined ? undefined : [p.status].flat().map(String);
      const all = Object.values(state.domains)
        .map((d) => domainView(d, now()))
        .filter((d): d is InwxSimDomainView => !!d && match(d.domain))
        .filter((d) => !statuses || statuses.includes(d.status))
        .sort((a, b) => a.domain.localeCompare(b.domain)); // DOMAINASC, INWX's default order
      const page = optInt(p, 'page') ?? 1;
      const limit = optInt(p, 'pagelimit') ?? 20;
      if (page < 1 || limit < 1) throw new DomRobotFailure(2004, 'page and pagelimit must be at least 1');
      return {
        code: 1000,
        resData: { count: all.length, domain: all.slice((page - 1) * limit, page * limit).map(domainInfo) },
      };
    },
  };
}

/** Status and expiry at `nowMs`; undefined once a refused transfer has completed (the domain is gone). */
export function domainView(d: InwxSimDomain, nowMs: number): InwxSimDomainView | undefined {
  const completesAt = Date.parse(d.completesAt);
  const done = nowMs >= completesAt;
  if (done && d.transferFails) return undefined;
  if (!done)
    return { ...d, status: d.origin === 'transfer' ? 'TRANSFER PENDING' : 'ORDER PENDING', exDate: null };
  const exDate = new Date(completesAt);
  exDate.setUTCFullYear(exDate.getUTCFullYear() + Number.parseInt(d.period, 10) + (d.renewedYears ?? 0));
  return { ...d, status: 'OK', exDate: exDate.toISOString() };
}

/** The default when the options name none: seconds (≥ 0, fractions allowed) from env `name`, else `fallback`. */
export function envSeconds(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = Number(raw);
  return raw && Number.isFinite(n) && n >= 0 ? n : fallback;
}

/** An XML-RPC `date` (a Date once parsed) or a `YYYY-MM-DD…` string, as `YYYY-MM-DD`. */
function dateOnly(v: unknown): string | undefined {
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v.toISOString().slice(0, 10);
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v)) return v.slice(0, 10);
  return undefined;
}

/** Domains whose first label starts with `taken` are registered at another registrar. */
function registeredElsewhere(domain: string): boolean {
  return domain.startsWith('taken');
}

function priceOf(domain: string): number {
  return PRICES[domain.split('.').pop() ?? ''] ?? DEFAULT_PRICE;
}

/** As domain.info and domain.list describe a domain. */
function domainInfo(d: InwxSimDomainView): Params {
  const crDate = new Date(d.crDate);
  return {
    roId: d.roId,
    domain: d.domain,
    'domain-ace': d.domain,
    period: d.period,
    crDate,
    ...(d.exDate ? { exDate: new Date(d.exDate) } : {}),
    upDate: crDate,
    status: d.status,
    transferLock: 1,
    renewalMode: d.renewalMode,
    transferMode: 'DEFAULT',
    ...(d.contacts ?? {}),
    ns: d.ns,
  };
}
