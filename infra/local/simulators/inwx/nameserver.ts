import { DomRobotFailure, type Params, type Result } from './domrobot.js';
import type { InwxSimRecord, InwxSimZone } from './model.js';
import { fullRecordName, normalise, wildcard } from './names.js';
import { idList, optInt, optStr, str, stringList } from './params.js';
import { DEFAULT_NS, type InwxStore } from './store.js';

// The nameserver.* methods: DNS zones and their records. Record names are stored in full
// (www.example.de), as nameserver.info returns them.

const HOST_TYPES = new Set(['CNAME', 'MX', 'NS', 'PTR', 'SRV', 'ALIAS']);

export function nameserverMethods(store: InwxStore): Record<string, (p: Params) => Result> {
  const { state } = store;

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

  return {
    'nameserver.create': (p) => {
      const domain = normalise(str(p, 'domain'));
      const type = str(p, 'type').toUpperCase();
      if (state.zones[domain]) throw new DomRobotFailure(2302, `DNS domain ${domain} exists`);
      const zone = store.addZone(domain, type, stringList(p.ns) ?? DEFAULT_NS);
      store.save();
      return { code: 1000, resData: { roId: zone.roId } };
    },
    'nameserver.delete': (p) => {
      const { zone } = zoneOf(p);
      delete state.zones[zone.domain];
      state.records = state.records.filter((r) => r.zone !== zone.domain);
      store.save();
      return { code: 1000 };
    },
    'nameserver.list': (p) => {
      const match = wildcard(optStr(p, 'domain') ?? '*');
      const list = Object.values(state.zones).filter((z) => match(z.domain));
      const page = optInt(p, 'page') ?? 1;
      const limit = optInt(p, 'pagelimit') ?? 20;
      return {
        code: 1000,
        resData: {
          count: list.length,
          // `domains`, as INWX answers (the 2.3.6 docs say `domain`).
          domains: list
            .slice((page - 1) * limit, page * limit)
            .map((z) => ({ roId: z.roId, domain: z.domain, type: z.type })),
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
        id: store.newId(),
        zone: zone.domain,
        name,
        type,
        content,
        ttl: optInt(p, 'ttl') ?? 3600,
        prio: optInt(p, 'prio') ?? 0,
      };
      state.records.push(rec);
      store.save();
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
      store.save();
      return { code: 1000 };
    },
    'nameserver.deleteRecord': (p) => {
      const ids = new Set(idList(p).map((id) => recordById(id).id));
      state.records = state.records.filter((r) => !ids.has(r.id));
      store.save();
      return { code: 1000 };
    },
  };
}

/** The zone is our bookkeeping; INWX's answers do not carry it. */
function publicRecord({ zone: _z, ...r }: InwxSimRecord) {
  return r;
}

/** Host-valued records (CNAME, MX, …) are stored normalised, so lookups match however they were sent. */
function storedContent(type: string, content: string): string {
  if (content.length === 0 || content.length > 1024)
    throw new DomRobotFailure(2005, 'content must be 1-1024 characters');
  return HOST_TYPES.has(type) ? normalise(content) : content;
}
