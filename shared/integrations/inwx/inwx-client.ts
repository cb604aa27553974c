import * as z from 'zod';
import { ExternalServiceError } from '../../platform/errors.js';
import {
  type DomRobotOptions,
  type DomRobotParams,
  type DomRobotResponse,
  DomRobotSession,
} from './domrobot-session.js';

// Typed INWX DomRobot client for what the provisioning flows need: DNS records in our zones and
// domain availability. Record names are always full names (`www.mueller.vrs.gmbh`), as INWX returns them.

export type InwxClientOptions = DomRobotOptions;
export type { DomRobotResponse };

export interface InwxRecord {
  id: number;
  /** Full name without trailing dot; the apex is the zone name itself. */
  name: string;
  type: string;
  content: string;
  ttl: number;
  prio: number;
}

export interface CreateRecordInput {
  /** The zone (e.g. `vrs.gmbh`). */
  domain: string;
  /** A label (`mueller`), a full name (`mueller.vrs.gmbh`), or `''`/`@` for the apex. */
  name: string;
  type: string;
  content: string;
  ttl: number;
  prio?: number;
}

export interface DomainCheckResult {
  domain: string;
  available: boolean;
  /** Registration price as INWX reports it, in cents; null when INWX gives none. */
  priceCents: number | null;
}

const OBJECT_EXISTS = 2302;

const recordSchema = z.object({
  id: z.coerce.number().int(),
  name: z.string(),
  type: z.string(),
  content: z.string(),
  ttl: z.coerce.number().int(),
  prio: z.coerce.number().int().default(0),
});

const checkEntrySchema = z.object({
  domain: z.string(),
  avail: z.union([z.number(), z.boolean()]),
  price: z.coerce.number().optional(),
});

export class InwxClient {
  private readonly session: DomRobotSession;

  constructor(opts: InwxClientOptions) {
    this.session = new DomRobotSession(opts);
  }

  /** Creates a record and returns its id; an identical existing record counts as created (idempotent). */
  async createRecord(input: CreateRecordInput): Promise<number> {
    const name = fullRecordName(input.name, input.domain);
    try {
      const res = await this.session.call('nameserver.createRecord', {
        domain: input.domain,
        name,
        type: input.type,
        content: input.content,
        ttl: input.ttl,
        prio: input.prio,
      });
      const id = Number(res.resData?.id);
      if (!Number.isInteger(id)) throw invalid('nameserver.createRecord', 'no record id in the response');
      return id;
    } catch (err) {
      if (!(err instanceof ExternalServiceError) || err.code !== OBJECT_EXISTS) throw err;
      const existing = (await this.findRecords(input.domain, { name, type: input.type })).find((r) =>
        sameContent(input.type, r.content, input.content),
      );
      if (!existing) throw err;
      return existing.id;
    }
  }

  /** Records of a zone (nameserver.info), optionally only those with this name (label or full) and type. */
  async findRecords(domain: string, filter: { name?: string; type?: string } = {}): Promise<InwxRecord[]> {
    const name = filter.name === undefined ? undefined : fullRecordName(filter.name, domain);
    const type = filter.type?.toUpperCase();
    const res = await this.session.call('nameserver.info', { domain, name, type });
    const raw = res.resData?.record ?? [];
    const parsed = z.array(recordSchema).safeParse(raw);
    if (!parsed.success) throw invalid('nameserver.info', 'unexpected record list');
    // Filter here too, so a server that ignores a filter cannot hand back a wrong record.
    return parsed.data.filter(
      (r) =>
        (name === undefined || stripDot(r.name).toLowerCase() === name) &&
        (type === undefined || r.type.toUpperCase() === type),
    );
  }

  async updateRecord(id: number, changes: { content?: string; ttl?: number }): Promise<void> {
    await this.session.call('nameserver.updateRecord', { id, content: changes.content, ttl: changes.ttl });
  }

  async deleteRecord(id: number): Promise<void> {
    await this.session.call('nameserver.deleteRecord', { id });
  }

  async checkDomain(domain: string): Promise<DomainCheckResult> {
    const res = await this.session.call('domain.check', { domain });
    const list = z.array(checkEntrySchema).safeParse(res.resData?.domain ?? []);
    if (!list.success) throw invalid('domain.check', 'unexpected domain list');
    const entry = list.data.find((d) => d.domain.toLowerCase() === domain.toLowerCase()) ?? list.data[0];
    if (!entry) throw invalid('domain.check', `no result for ${domain}`);
    return {
      domain,
      available: entry.avail === 1 || entry.avail === true,
      priceCents:
        entry.price === undefined || Number.isNaN(entry.price) ? null : Math.round(entry.price * 100),
    };
  }

  /** Any other DomRobot method, for flows not yet wrapped here (success codes only; errors throw). */
  call(method: string, params: DomRobotParams = {}): Promise<DomRobotResponse> {
    return this.session.call(method, params);
  }

  logout(): Promise<void> {
    return this.session.logout();
  }
}

/** `mueller` + `vrs.gmbh` → `mueller.vrs.gmbh`; full names stay; `''`/`@` is the apex. Lower case, no trailing dot. */
export function fullRecordName(name: string, domain: string): string {
  const zone = stripDot(domain).toLowerCase();
  const n = stripDot(name.trim()).toLowerCase();
  if (n === '' || n === '@') return zone;
  if (n === zone || n.endsWith(`.${zone}`)) return n;
  return `${n}.${zone}`;
}

function stripDot(s: string): string {
  return s.endsWith('.') ? s.slice(0, -1) : s;
}

const HOST_TYPES = new Set(['CNAME', 'MX', 'NS', 'PTR', 'SRV', 'ALIAS']);

/** INWX stores host targets (CNAME, MX ...) without the final dot; other contents (TXT) compare exactly. */
function sameContent(type: string, a: string, b: string): boolean {
  if (!HOST_TYPES.has(type.toUpperCase())) return a === b;
  return stripDot(a).toLowerCase() === stripDot(b).toLowerCase();
}

function invalid(method: string, what: string): ExternalServiceError {
  return new ExternalServiceError('inwx', `${method}: ${what}`, false);
}
