import { readJsonFile, writeJsonFile } from '../../engines/json-file.js';
import {
  INWX_BASE_ZONE,
  type InwxSimContact,
  type InwxSimDomain,
  type InwxSimRecord,
  type InwxSimZone,
} from './model.js';

// The simulator's whole state is one JSON-serialisable object, rewritten to `persistPath` after each
// change so a restarted local stack keeps its DNS records, contacts and domains. Sessions are not kept.

export const DEFAULT_NS = ['ns.inwx.de', 'ns2.inwx.de', 'ns3.inwx.eu'];

interface State {
  nextId: number;
  zones: Record<string, InwxSimZone>;
  records: InwxSimRecord[];
  /** By handle id. */
  contacts: Record<string, InwxSimContact>;
  domains: Record<string, InwxSimDomain>;
}

export interface InwxStore {
  readonly state: State;
  newId(): number;
  save(): void;
  addZone(domain: string, type: string, ns: string[]): InwxSimZone;
}

export function openStore(persistPath: string | undefined, now: () => number): InwxStore {
  const state = load(persistPath, now) ?? initialState();
  return {
    state,
    newId: () => state.nextId++,
    save: () => {
      if (persistPath) writeJsonFile(persistPath, state);
    },
    addZone: (domain, type, ns) => addZone(state, domain, type, ns),
  };
}

function initialState(): State {
  const state: State = { nextId: 1, zones: {}, records: [], contacts: {}, domains: {} };
  addZone(state, INWX_BASE_ZONE, 'MASTER', DEFAULT_NS);
  return state;
}

/** New zones get SOA and NS records, as INWX creates them. */
function addZone(state: State, domain: string, type: string, ns: string[]): InwxSimZone {
  const zone: InwxSimZone = { roId: state.nextId++, domain, type, ns };
  state.zones[domain] = zone;
  const soa = `${ns[0] ?? DEFAULT_NS[0]} hostmaster.inwx.de ${new Date().getFullYear()}010101 10800 3600 604800 3600`;
  const base = { zone: domain, name: domain, ttl: 86400, prio: 0 };
  state.records.push({ ...base, id: state.nextId++, type: 'SOA', content: soa });
  for (const host of ns) state.records.push({ ...base, id: state.nextId++, type: 'NS', content: host });
  return zone;
}

function load(path: string | undefined, now: () => number): State | undefined {
  const state = readJsonFile<State>(path, 'INWX simulator');
  if (!state) return undefined;
  if (!state.zones[INWX_BASE_ZONE]) addZone(state, INWX_BASE_ZONE, 'MASTER', DEFAULT_NS);
  state.contacts ??= {};
  for (const [name, d] of Object.entries(state.domains)) state.domains[name] = migrateDomain(d, now());
  return state;
}

/** Files written before orders were timed: `status` + `transfer.polls`. Open orders complete now. */
interface DomainBeforeTimestamps {
  roId: number;
  domain: string;
  status?: string;
  crDate: string;
  ns: string[];
  transfer?: { polls: number; fails: boolean };
}

function migrateDomain(d: InwxSimDomain | DomainBeforeTimestamps, nowMs: number): InwxSimDomain {
  if ('completesAt' in d) return d;
  return {
    roId: d.roId,
    domain: d.domain,
    origin: d.transfer ? 'transfer' : 'create',
    crDate: d.crDate,
    completesAt: d.status === 'OK' ? d.crDate : new Date(nowMs).toISOString(),
    ...(d.transfer?.fails ? { transferFails: true } : {}),
    period: '1Y',
    renewalMode: 'AUTORENEW',
    ns: d.ns,
  };
}
