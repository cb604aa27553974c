import * as z from 'zod';
import { ExternalServiceError } from '../../platform/errors.js';
import {
  type DomRobotOptions,
  type DomRobotParams,
  type DomRobotResponse,
  DomRobotSession,
} from './domrobot-session.js';
import { inwxPhone } from './inwx-phone.js';

// Typed INWX DomRobot client for what the provisioning and domain flows need: DNS zones and records,
// domain availability, contacts, registration, transfer in and the account's domain list. Writes are
// idempotent where INWX lets us tell (a re-run finds what the first run made). Record names are always
// full names (`www.mueller.vrs.gmbh`), as INWX returns them.

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

export interface InwxContactInput {
  type: 'PERSON' | 'ORG';
  /** First and last name. */
  name: string;
  org?: string | undefined;
  street: string;
  city: string;
  postalCode: string;
  /** ISO 3166 alpha-2. */
  countryCode: string;
  email: string;
  /** Any common form (`+49 30 1234567`); sent as `+49.301234567`. */
  phone: string;
}

export type DomainPeriod = `${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10}Y`;
export type RenewalMode = 'AUTORENEW' | 'AUTODELETE' | 'AUTOEXPIRE';

export interface CreateDomainInput {
  /** ASCII (punycode) name. */
  domain: string;
  period: DomainPeriod;
  /** Contact handle ids from ensureContact. */
  registrant: number;
  admin: number;
  tech: number;
  billing: number;
  ns?: string[] | undefined;
  renewalMode?: RenewalMode | undefined;
}

export interface TransferDomainInput {
  domain: string;
  /** Never logged, never part of an error message. */
  authCode: string;
  registrant?: number | undefined;
  admin?: number | undefined;
  tech?: number | undefined;
  billing?: number | undefined;
  ns?: string[] | undefined;
  renewalMode?: RenewalMode | undefined;
}

export interface DomainOrder {
  roId: number;
  /** INWX accepted the order but has not finished it (code 1001, or a status other than `OK`). */
  pending: boolean;
  /** What INWX charged, in cents, when it says (not on a re-run that found the domain). */
  priceCents?: number;
}

/** A domain in our INWX account, as domain.info and domain.list describe it. */
export interface InwxDomain {
  roId: number;
  /** ASCII (punycode) name, lower case. */
  domain: string;
  /** `OK` when active; `TRANSFER…` while a transfer is pending; see docs for the others. */
  status: string;
  createdAt: string | null;
  expiresAt: string | null;
  renewalMode: string | null;
  transferLock: boolean | null;
  nameservers: string[];
}

export interface ListDomainsInput {
  /** Only domains with one of these statuses (e.g. `['OK']`). */
  status?: string[] | undefined;
  page: number;
  pageLimit: number;
}

const OBJECT_EXISTS = 2302;
const OBJECT_PENDING_TRANSFER = 2300;
const OBJECT_DOES_NOT_EXIST = 2303;
/** Page size of allDomains and contact lookups (INWX's default is 20). */
const PAGE_LIMIT = 100;

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

const idSchema = z.coerce.number().int().positive();

const contactSchema = z.object({
  roId: z.coerce.number().int().optional(),
  id: z.union([z.number(), z.string()]),
  type: z.string(),
  name: z.string(),
  org: z.string().nullish(),
  street: z.string(),
  city: z.string(),
  pc: z.string(),
  cc: z.string(),
  voice: z.string(),
  email: z.string(),
});
const contactListSchema = z.object({
  count: z.coerce.number().int(),
  contact: z.array(contactSchema).default([]),
});

const domainSchema = z.object({
  roId: z.coerce.number().int(),
  domain: z.string(),
  'domain-ace': z.string().optional(),
  status: z.string().default(''),
  crDate: z.unknown().optional(),
  exDate: z.unknown().optional(),
  renewalMode: z.string().optional(),
  transferLock: z.union([z.boolean(), z.number(), z.string()]).optional(),
  ns: z.array(z.string()).optional(),
});
const domainListSchema = z.object({
  count: z.coerce.number().int(),
  domain: z.array(domainSchema).default([]),
});

const orderSchema = z.object({
  roId: z.coerce.number().int(),
  price: z.coerce.number().optional(),
});

const zoneListEntrySchema = z.object({ roId: z.coerce.number().int(), domain: z.string() });

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

  /** Deletes a record; false when INWX no longer has it (2303), so a re-run can repeat it. */
  async deleteRecordIfExists(id: number): Promise<boolean> {
    try {
      await this.deleteRecord(id);
      return true;
    } catch (err) {
      if (err instanceof ExternalServiceError && err.code === OBJECT_DOES_NOT_EXIST) return false;
      throw err;
    }
  }

  /**
   * Sets what INWX does at the domain's expiry (`domain.update`): renew it, let it expire or delete
   * it. Setting the mode it has changes nothing. False when the domain is not in our account (2303).
   */
  async setRenewalMode(domain: string, mode: RenewalMode): Promise<boolean> {
    try {
      await this.session.call('domain.update', { domain, renewalMode: mode });
      return true;
    } catch (err) {
      if (err instanceof ExternalServiceError && err.code === OBJECT_DOES_NOT_EXIST) return false;
      throw err;
    }
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

  /** Creates a contact handle and returns its id. Prefer ensureContact, which a re-run can repeat. */
  async createContact(c: InwxContactInput): Promise<number> {
    const res = await this.session.call('contact.create', {
      type: c.type,
      name: c.name,
      org: c.org || undefined,
      street: c.street,
      city: c.city,
      pc: c.postalCode,
      cc: c.countryCode.toUpperCase(),
      voice: inwxPhone(c.phone),
      email: c.email,
      // As INWX's WHMCS module does: INWX normalises the phone number itself.
      extData: { 'PARSE-VOICE': true },
    });
    const id = idSchema.safeParse(res.resData?.id);
    if (!id.success) throw invalid('contact.create', 'no contact id in the response');
    return id.data;
  }

  /** The handle id of an existing contact with exactly these details (looked up by email), or null. */
  async findContact(c: InwxContactInput): Promise<number | null> {
    const wanted = contactKey({
      type: c.type,
      name: c.name,
      org: c.org,
      street: c.street,
      city: c.city,
      pc: c.postalCode,
      cc: c.countryCode,
      voice: inwxPhone(c.phone),
      email: c.email,
    });
    for (let page = 1; ; page++) {
      const res = await this.session.call('contact.list', { search: c.email, page, pagelimit: PAGE_LIMIT });
      const list = contactListSchema.safeParse(res.resData ?? {});
      if (!list.success) throw invalid('contact.list', 'unexpected contact list');
      const hit = list.data.contact.find((x) => contactKey(x) === wanted);
      if (hit) {
        const id = idSchema.safeParse(hit.roId ?? hit.id);
        if (!id.success) throw invalid('contact.list', 'contact without a handle id');
        return id.data;
      }
      if (list.data.contact.length < PAGE_LIMIT || page * PAGE_LIMIT >= list.data.count) return null;
    }
  }

  /**
   * The handle of a contact with these details: an identical existing one (a re-run), else a new one.
   * Two runs at the very same moment could still both create one; the flows run one order at a time.
   */
  async ensureContact(c: InwxContactInput): Promise<number> {
    return (await this.findContact(c)) ?? (await this.createContact(c));
  }

  /**
   * Registers a domain. A re-run after INWX took the order (2302, and the domain is in our account)
   * returns that domain; 2302 for a domain outside our account means someone else registered it.
   */
  async createDomain(input: CreateDomainInput): Promise<DomainOrder> {
    try {
      // The input's fields are DomRobot's parameter names; unset ones are not sent.
      const res = await this.session.call('domain.create', { ...input });
      return order('domain.create', res);
    } catch (err) {
      if (!(err instanceof ExternalServiceError) || err.code !== OBJECT_EXISTS) throw err;
      const ours = await this.domainInfo(input.domain);
      if (ours) return { roId: ours.roId, pending: ours.status !== 'OK' };
      throw new ExternalServiceError(
        'inwx',
        `domain.create: ${input.domain} is no longer available (code ${OBJECT_EXISTS})`,
        false,
        OBJECT_EXISTS,
      );
    }
  }

  /**
   * Starts a transfer into our account. A re-run while that transfer is pending (or after it
   * completed) returns the domain instead of failing. The auth code never appears in an error.
   */
  async transferDomain(input: TransferDomainInput): Promise<DomainOrder> {
    try {
      const res = await this.session.call('domain.transfer', { ...input });
      return order('domain.transfer', res);
    } catch (err) {
      const code = err instanceof ExternalServiceError ? err.code : undefined;
      if (code === OBJECT_EXISTS || code === OBJECT_PENDING_TRANSFER) {
        const ours = await this.domainInfo(input.domain).catch(() => null);
        if (ours && (ours.status === 'OK' || isTransferPending(ours.status)))
          return { roId: ours.roId, pending: ours.status !== 'OK' };
      }
      throw withoutSecret(err, input.authCode);
    }
  }

  /** The domain as our account holds it, or null when it is not in our account (2303). */
  async domainInfo(domain: string): Promise<InwxDomain | null> {
    let res: Record<string, unknown>;
    try {
      res = (await this.session.call('domain.info', { domain, wide: 1 })).resData ?? {};
    } catch (err) {
      if (err instanceof ExternalServiceError && err.code === OBJECT_DOES_NOT_EXIST) return null;
      throw err;
    }
    const parsed = domainSchema.safeParse(res);
    if (!parsed.success) throw invalid('domain.info', 'unexpected domain details');
    return toDomain(parsed.data);
  }

  /** One page of the account's domains (in name order), optionally only those with these statuses. */
  async listDomains(input: ListDomainsInput): Promise<{ count: number; domains: InwxDomain[] }> {
    const res = await this.session.call('domain.list', {
      status: input.status,
      page: input.page,
      pagelimit: input.pageLimit,
      wide: 1,
    });
    const parsed = domainListSchema.safeParse(res.resData ?? {});
    if (!parsed.success) throw invalid('domain.list', 'unexpected domain list');
    return { count: parsed.data.count, domains: parsed.data.domain.map(toDomain) };
  }

  /** Every domain of the account (optionally only with these statuses), paging within one session. */
  async allDomains(input: { status?: string[] | undefined; pageLimit?: number } = {}): Promise<InwxDomain[]> {
    const pageLimit = input.pageLimit ?? PAGE_LIMIT;
    const seen = new Map<number, InwxDomain>();
    for (let page = 1; ; page++) {
      const { count, domains } = await this.listDomains({ status: input.status, page, pageLimit });
      // A domain added while we page can shift one into the next page twice: keep it once.
      for (const d of domains) seen.set(d.roId, d);
      if (domains.length < pageLimit || page * pageLimit >= count) return [...seen.values()];
    }
  }

  /** Creates our DNS zone for a domain and returns its id; an existing zone's id on a re-run. */
  async createZone(domain: string, ns?: string[]): Promise<number> {
    try {
      const res = await this.session.call('nameserver.create', { domain, type: 'MASTER', ns });
      const roId = idSchema.safeParse(res.resData?.roId);
      if (!roId.success) throw invalid('nameserver.create', 'no zone id in the response');
      return roId.data;
    } catch (err) {
      if (!(err instanceof ExternalServiceError) || err.code !== OBJECT_EXISTS) throw err;
      const res = await this.session.call('nameserver.list', { domain, pagelimit: PAGE_LIMIT });
      // INWX answers `domains`; the 2.3.6 docs say `domain`.
      const raw = res.resData?.domains ?? res.resData?.domain ?? [];
      const list = z.array(zoneListEntrySchema).safeParse(raw);
      if (!list.success) throw invalid('nameserver.list', 'unexpected zone list');
      const zone = list.data.find((z) => z.domain.toLowerCase() === stripDot(domain).toLowerCase());
      if (!zone) throw err;
      return zone.roId;
    }
  }

  /** Any other DomRobot method, for flows not yet wrapped here (success codes only; errors throw). */
  call(method: string, params: DomRobotParams = {}): Promise<DomRobotResponse> {
    return this.session.call(method, params);
  }

  /** Ends the session; safe without one, and never throws. */
  logout(): Promise<void> {
    return this.session.logout();
  }
}

function order(method: string, res: DomRobotResponse): DomainOrder {
  const parsed = orderSchema.safeParse(res.resData ?? {});
  if (!parsed.success) throw invalid(method, 'no roId in the response');
  const { roId, price } = parsed.data;
  return {
    roId,
    pending: res.code === 1001,
    ...(price === undefined || Number.isNaN(price) ? {} : { priceCents: Math.round(price * 100) }),
  };
}

/** `TRANSFER…` is a pending transfer in; `TRANSFER … SUCCESSFUL` means transferred away (INWX's WHMCS module). */
function isTransferPending(status: string): boolean {
  return status.startsWith('TRANSFER') && !status.includes('SUCCESSFUL');
}

function toDomain(d: z.infer<typeof domainSchema>): InwxDomain {
  return {
    roId: d.roId,
    domain: (d['domain-ace'] || d.domain).toLowerCase(),
    status: d.status,
    createdAt: isoDate(d.crDate),
    expiresAt: isoDate(d.exDate),
    renewalMode: d.renewalMode ?? null,
    transferLock:
      d.transferLock === undefined ? null : d.transferLock === true || Number(d.transferLock) === 1,
    nameservers: d.ns ?? [],
  };
}

/** XML-RPC dateTime (a Date here), INWX's JSON `{timestamp}` (seconds), or an ISO-like string → ISO. */
function isoDate(value: unknown): string | null {
  let date: Date | undefined;
  if (value instanceof Date) date = value;
  else if (typeof value === 'number') date = new Date(value * 1000);
  else if (typeof value === 'object' && value !== null && 'timestamp' in value)
    date = new Date(Number((value as { timestamp: unknown }).timestamp) * 1000);
  else if (typeof value === 'string' && value !== '') {
    // The compact XML-RPC form 20270101T12:00:00 is not one Date can parse.
    const compact = /^(\d{4})(\d{2})(\d{2})T(.*)$/.exec(value);
    date = new Date(compact ? `${compact[1]}-${compact[2]}-${compact[3]}T${compact[4]}` : value);
  }
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : null;
}

/** The details INWX keeps for a contact, compared without case, spacing or phone format differences. */
function contactKey(c: {
  type: string;
  name: string;
  org?: string | null | undefined;
  street: string;
  city: string;
  pc: string;
  cc: string;
  voice: string;
  email: string;
}): string {
  const norm = (s: string | null | undefined) => (s ?? '').trim().replace(/\s+/g, ' ').toLowerCase();
  return JSON.stringify([
    norm(c.type),
    norm(c.name),
    norm(c.org),
    norm(c.street),
    norm(c.city),
    norm(c.pc).replace(/\s/g, ''),
    norm(c.cc),
    inwxPhone(c.voice),
    norm(c.email),
  ]);
}

/** The same error with `secret` masked wherever a message might carry it. */
function withoutSecret(err: unknown, secret: string): unknown {
  if (secret === '' || !(err instanceof Error) || !err.message.includes(secret)) return err;
  const masked = err.message.replaceAll(secret, '[redacted]');
  if (err instanceof ExternalServiceError)
    return new ExternalServiceError(err.service, masked.replace(/^inwx: /, ''), err.transient, err.code);
  return new Error(masked);
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
