import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { PassThrough } from 'node:stream';
import { type FaultRegistry, TIMEOUT_FAULT_MS } from './faults.js';
import { type SimRequest, type SimResponse, type Simulator, stall } from './types.js';

// INWX DomRobot XML-RPC simulator: methodCall in, methodResponse {code, msg, resData} out, with a
// `domrobot` session cookie like the real API. Shapes follow the DomRobot 2.3.6 docs and INWX's clients.

const require = createRequire(import.meta.url);
const serializer = require('xmlrpc/lib/serializer.js') as { serializeMethodResponse(value: unknown): string };
const Deserializer = require('xmlrpc/lib/deserializer.js') as new () => {
  deserializeMethodCall(
    stream: NodeJS.ReadableStream,
    callback: (err: Error | null | undefined, method?: string, params?: unknown[]) => void,
  ): void;
};

export const INWX_BASE_ZONE = 'vrs.gmbh';
const DEFAULT_NS = ['ns.inwx.de', 'ns2.inwx.de', 'ns3.inwx.eu'];
const HOST_TYPES = new Set(['CNAME', 'MX', 'NS', 'PTR', 'SRV', 'ALIAS']);
/** EUR per year by TLD, for domain.check / create / transfer answers. */
const PRICES: Record<string, number> = { de: 5.95, com: 11.9, net: 13.9, eu: 6.9, gmbh: 29.9 };
const DEFAULT_PRICE = 14.9;
const MESSAGES: Record<number, string> = {
  1000: 'Command completed successfully',
  1001: 'Command completed successfully; action pending',
  1500: 'Command completed successfully; ending session',
  2000: 'Unknown command',
  2003: 'Required parameter missing',
  2005: 'Parameter value syntax error',
  2200: 'Authentication error',
  2302: 'Object exists',
  2303: 'Object does not exist',
  2400: 'Command failed',
};

export interface InwxSimRecord {
  id: number;
  zone: string;
  name: string;
  type: string;
  content: string;
  ttl: number;
  prio: number;
}

export interface InwxSimZone {
  roId: number;
  domain: string;
  type: string;
  ns: string[];
}

export interface InwxSimDomain {
  roId: number;
  domain: string;
  /** `OK`, `TRANSFER PENDING`, or `ORDER PENDING` until the next domain.info after domain.create. */
  status: string;
  crDate: string;
  authCode?: string;
  transfer?: { polls: number; fails: boolean };
  ns: string[];
}

interface State {
  nextId: number;
  zones: Record<string, InwxSimZone>;
  records: InwxSimRecord[];
  domains: Record<string, InwxSimDomain>;
}

export interface InwxSimulatorOptions {
  faults: FaultRegistry;
  /** JSON file to load at start and rewrite after every change. */
  persistPath?: string;
  /** domain.info polls until a transfer is OK (the Nth poll answers OK); default VRS_SIM_TRANSFER_POLLS or 3. */
  transferPolls?: number;
}

export interface InwxSimulator extends Simulator {
  /** All records, or those of one zone. */
  records(zone?: string): InwxSimRecord[];
  zones(): InwxSimZone[];
  domains(): InwxSimDomain[];
  /** Forgets every session, as after an INWX restart: the next call answers 2200. */
  expireSessions(): void;
}

type Params = Record<string, unknown>;
interface Result {
  code: number;
  resData?: Params;
}

class DomRobotFailure extends Error {
  constructor(
    readonly code: number,
    readonly reason?: string,
  ) {
    super(MESSAGES[code] ?? 'Command failed');
  }
}

export function createInwxSimulator(opts: InwxSimulatorOptions): InwxSimulator {
  const transferPolls = opts.transferPolls ?? envTransferPolls();
  const sessions = new Set<string>();
  const state: State = load(opts.persistPath) ?? initialState();
  let trid = 0;
  const save = () => {
    if (!opts.persistPath) return;
    mkdirSync(dirname(opts.persistPath), { recursive: true });
    writeFileSync(opts.persistPath, JSON.stringify(state, null, 2));
  };
  const newId = () => state.nextId++;

  const zoneOf = (params: Params): { zone: InwxSimZone; domain: string } => {
    if (params.roId !== undefined) {
      const zone = Object.values(state.zones).find((z) => z.roId === Number(params.roId));
      if (!zone) throw new DomRobotFailure(2303, `DNS domain ${params.roId} not found`);
      return { zone, domain: zone.domain };
    }
    const domain = normalise(str(params, 'domain'));
    // A subdomain's records live in the zone above it (mueller.vrs.gmbh → vrs.gmbh).
    const zone = Object.values(state.zones)
      .filter((z) => domain === z.domain || domain.endsWith(`.${z.domain}`))
      .sort((a, b) => b.domain.length - a.domain.length)[0];
    if (!zone) throw new DomRobotFailure(2303, `DNS domain ${domain} not found`);
    return { zone, domain };
  };
  const recordById = (id: number): InwxSimRecord => {
    const rec = state.records.find((r) => r.id === id);
    if (!rec) throw new DomRobotFailure(2303, `Record ${id} not found`);
    return rec;
  };
  const publicRecord = ({ zone: _z, ...r }: InwxSimRecord) => r;
  const domainInfo = (d: InwxSimDomain): Params => {
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
  };

  const methods: Record<string, (p: Params) => Result> = {
    'nameserver.create': (p) => {
      const domain = normalise(str(p, 'domain'));
      const type = str(p, 'type').toUpperCase();
      if (state.zones[domain]) throw new DomRobotFailure(2302, `DNS domain ${domain} exists`);
      const zone = addZone(state, domain, type, stringList(p.ns) ?? DEFAULT_NS);
      save();
      return { code: 1000, resData: { roId: zone.roId } };
    },
    'nameserver.delete': (p) => {
      const { zone } = zoneOf(p);
      delete state.zones[zone.domain];
      state.records = state.records.filter((r) => r.zone !== zone.domain);
      save();
      return { code: 1000 };
    },
    'nameserver.list': (p) => {
      const match = wildcard(optStr(p, 'domain') ?? '*');
      const list = Object.values(state.zones).filter((z) => match(z.domain));
      return {
        code: 1000,
        resData: {
          count: list.length,
          domains: list.map((z) => ({ roId: z.roId, domain: z.domain, type: z.type })),
        },
      };
    },
    'nameserver.info': (p) => {
      const { zone, domain } = zoneOf(p);
      const name = optStr(p, 'name');
      const fullName = name === undefined ? undefined : fullRecordName(name, domain);
      const type = optStr(p, 'type')?.toUpperCase();
      const content = optStr(p, 'content');
      const recordId = p.recordId === undefined ? undefined : Number(p.recordId);
      const list = state.records.filter(
        (r) =>
          r.zone === zone.domain &&
          (r.name === domain || r.name.endsWith(`.${domain}`)) &&
          (fullName === undefined || r.name === fullName) &&
          (type === undefined || r.type === type) &&
          (content === undefined || r.content === content) &&
          (recordId === undefined || r.id === recordId),
      );
      return {
        code: 1000,
        resData: {
          roId: zone.roId,
          domain: zone.domain,
          type: zone.type,
          count: list.length,
          record: list.map(publicRecord),
        },
      };
    },
    'nameserver.createRecord': (p) => {
      const { zone, domain } = zoneOf(p);
      const type = str(p, 'type').toUpperCase();
      const content = storedContent(type, str(p, 'content'));
      const name = fullRecordName(optStr(p, 'name') ?? '', domain);
      const exists = state.records.some(
        (r) => r.zone === zone.domain && r.name === name && r.type === type && r.content === content,
      );
      if (exists) throw new DomRobotFailure(2302, 'Record already exists');
      const rec: InwxSimRecord = {
        id: newId(),
        zone: zone.domain,
        name,
        type,
        content,
        ttl: optInt(p, 'ttl') ?? 3600,
        prio: optInt(p, 'prio') ?? 0,
      };
      state.records.push(rec);
      save();
      return { code: 1000, resData: { id: rec.id } };
    },
    'nameserver.updateRecord': (p) => {
      const records = idList(p).map(recordById);
      for (const rec of records) {
        const type = optStr(p, 'type')?.toUpperCase() ?? rec.type;
        const name = optStr(p, 'name');
        const content = optStr(p, 'content');
        rec.type = type;
        if (name !== undefined) rec.name = fullRecordName(name, rec.zone);
        if (content !== undefined) rec.content = storedContent(type, content);
        rec.ttl = optInt(p, 'ttl') ?? rec.ttl;
        rec.prio = optInt(p, 'prio') ?? rec.prio;
      }
      save();
      return { code: 1000 };
    },
    'nameserver.deleteRecord': (p) => {
      const ids = new Set(idList(p).map((id) => recordById(id).id));
      state.records = state.records.filter((r) => !ids.has(r.id));
      save();
      return { code: 1000 };
    },
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
        roId: newId(),
        domain: d,
        status: 'ORDER PENDING',
        crDate: new Date().toISOString(),
        ns: stringList(p.ns) ?? DEFAULT_NS,
      };
      state.domains[d] = entry;
      save();
      return { code: 1001, resData: { roId: entry.roId, price: priceOf(d), currency: 'EUR' } };
    },
    'domain.transfer': (p) => {
      const d = normalise(str(p, 'domain'));
      if (state.domains[d]) throw new DomRobotFailure(2302, `Domain ${d} is already in this account`);
      if (!registeredElsewhere(d)) throw new DomRobotFailure(2303, `Domain ${d} is not registered`);
      const authCode = optStr(p, 'authCode');
      const entry: InwxSimDomain = {
        roId: newId(),
        domain: d,
        status: 'TRANSFER PENDING',
        crDate: new Date().toISOString(),
        ns: stringList(p.ns) ?? DEFAULT_NS,
        transfer: { polls: 0, fails: authCode === 'wrong' },
        ...(authCode ? { authCode } : {}),
      };
      state.domains[d] = entry;
      save();
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
        save();
        throw new DomRobotFailure(2303, 'Domain not found');
      }
      if (d.status === 'ORDER PENDING') d.status = 'OK';
      if (d.transfer && d.status === 'TRANSFER PENDING') {
        d.transfer.polls += 1;
        if (d.transfer.polls >= transferPolls) d.status = 'OK';
      }
      save();
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

  const handle = async (req: SimRequest, signal: AbortSignal): Promise<SimResponse> => {
    if (req.method !== 'POST') return { status: 405, headers: { allow: 'POST' }, body: 'Method Not Allowed' };
    let call: { method: string; params: unknown[] };
    try {
      call = await parseMethodCall(req.body);
    } catch (err) {
      return respond({ code: 2001, msg: 'Command syntax error', reason: (err as Error).message });
    }
    const { method } = call;
    const fault = opts.faults.take('inwx', method);
    if (fault?.mode === 'http_500') return { status: 500, body: 'Internal Server Error' };
    if (fault?.mode === 'http_429') return { status: 429, body: 'Too Many Requests' };
    if (fault?.mode === 'timeout') {
      await stall(TIMEOUT_FAULT_MS, signal);
      return { status: 500, body: 'Internal Server Error' };
    }
    if (fault?.mode === 'error') return respond({ code: 2400, msg: MESSAGES[2400] });

    const params = (isRecord(call.params[0]) ? call.params[0] : {}) as Params;
    const session = sessionCookie(req.headers.cookie);
    if (method === 'account.login') {
      if (!optStr(params, 'user') || !optStr(params, 'pass'))
        return respond(failure(2200, 'user and pass required'));
      const id = randomBytes(16).toString('hex');
      sessions.add(id);
      return respond(
        {
          code: 1000,
          resData: {
            customerId: 99999,
            accountId: 99999,
            tfa: '0',
            builddate: '20260101',
            version: '2.3.6-sim',
          },
        },
        { 'set-cookie': `domrobot=${id}; path=/; HttpOnly` },
      );
    }
    if (!session || !sessions.has(session)) return respond(failure(2200, 'Not logged in or session expired'));
    if (method === 'account.logout') {
      sessions.delete(session);
      return respond({ code: 1500 });
    }
    const handler = methods[method];
    if (!handler) return respond(failure(2000, `Method ${method} is not simulated`));
    try {
      return respond(handler(params));
    } catch (err) {
      if (err instanceof DomRobotFailure) return respond(failure(err.code, err.reason));
      throw err;
    }
  };

  function respond(
    r: Result & { msg?: string; reason?: string },
    headers: Record<string, string> = {},
  ): SimResponse {
    const body: Params = { code: r.code, msg: r.msg ?? MESSAGES[r.code] ?? 'Command failed' };
    if (r.reason) body.reason = r.reason;
    if (r.resData) body.resData = r.resData;
    body.svTRID = `${new Date().toISOString().slice(0, 10).replaceAll('-', '')}-${++trid}`;
    return {
      status: 200,
      headers: { 'content-type': 'text/xml; charset=UTF-8', ...headers },
      body: serializer.serializeMethodResponse(body),
    };
  }

  return Object.assign(handle, {
    records: (zone?: string) =>
      state.records.filter((r) => zone === undefined || r.zone === normalise(zone)).map((r) => ({ ...r })),
    zones: () => Object.values(state.zones).map((z) => ({ ...z })),
    domains: () => Object.values(state.domains).map((d) => structuredClone(d)),
    expireSessions: () => sessions.clear(),
  });
}

function failure(code: number, reason?: string): Result & { reason?: string } {
  return reason ? { code, reason } : { code };
}

function initialState(): State {
  const state: State = { nextId: 1, zones: {}, records: [], domains: {} };
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

function load(path: string | undefined): State | undefined {
  if (!path || !existsSync(path)) return undefined;
  const state = JSON.parse(readFileSync(path, 'utf8')) as State;
  if (!state.zones[INWX_BASE_ZONE]) addZone(state, INWX_BASE_ZONE, 'MASTER', DEFAULT_NS);
  return state;
}

function parseMethodCall(body: Buffer): Promise<{ method: string; params: unknown[] }> {
  return new Promise((resolve, reject) => {
    const stream = new PassThrough();
    new Deserializer().deserializeMethodCall(stream, (err, method, params) => {
      if (err || !method) reject(err ?? new Error('no methodName'));
      else resolve({ method, params: params ?? [] });
    });
    stream.end(body);
  });
}

function envTransferPolls(): number {
  const n = Number(process.env.VRS_SIM_TRANSFER_POLLS);
  return process.env.VRS_SIM_TRANSFER_POLLS && Number.isInteger(n) && n >= 0 ? n : 3;
}

function sessionCookie(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === 'domrobot' && v) return v;
  }
  return undefined;
}

/** Domains whose first label starts with `taken` are registered at another registrar. */
function registeredElsewhere(domain: string): boolean {
  return domain.startsWith('taken');
}

function priceOf(domain: string): number {
  return PRICES[domain.split('.').pop() ?? ''] ?? DEFAULT_PRICE;
}

function normalise(name: string): string {
  const n = name.trim().toLowerCase();
  return n.endsWith('.') ? n.slice(0, -1) : n;
}

/** Label, full name or '' / '@' (apex) → full name, as nameserver.info returns names. */
function fullRecordName(name: string, domain: string): string {
  const n = normalise(name);
  if (n === '' || n === '@') return domain;
  return n === domain || n.endsWith(`.${domain}`) ? n : `${n}.${domain}`;
}

function storedContent(type: string, content: string): string {
  if (content.length === 0 || content.length > 1024)
    throw new DomRobotFailure(2005, 'content must be 1-1024 characters');
  return HOST_TYPES.has(type) ? normalise(content) : content;
}

function wildcard(pattern: string): (s: string) => boolean {
  const re = new RegExp(`^${pattern.toLowerCase().split('*').map(escapeRegExp).join('.*')}$`);
  return (s) => re.test(s);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isRecord(v: unknown): v is Params {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(p: Params, key: string): string {
  const v = optStr(p, key);
  if (v === undefined || v === '') throw new DomRobotFailure(2003, `Parameter ${key} missing`);
  return v;
}

function optStr(p: Params, key: string): string | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw new DomRobotFailure(2005, `Parameter ${key} must be a string`);
}

function optInt(p: Params, key: string): number | undefined {
  const v = p[key];
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new DomRobotFailure(2005, `Parameter ${key} must be an integer`);
  return n;
}

function idList(p: Params): number[] {
  const raw = Array.isArray(p.id) ? p.id : p.id === undefined ? [] : [p.id];
  if (raw.length === 0) throw new DomRobotFailure(2003, 'Parameter id missing');
  return raw.map((v) => {
    const n = Number(v);
    if (!Number.isInteger(n)) throw new DomRobotFailure(2005, 'Parameter id must be an integer');
    return n;
  });
}

function stringList(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  const list = Array.isArray(v) ? v : [v];
  return list.filter((x): x is string => typeof x === 'string').map(normalise);
}
