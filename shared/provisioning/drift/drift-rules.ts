import type { ProjectDomain } from '../../projects/projects-table.js';

// Drift (seed 000 §3.3): what provisioning and the attach flows set up for a live project — its DNS
// records at INWX, its Coolify application's domains and the satellite's env — compared with what
// INWX and Coolify report now. Each finding names its differences and the repair that removes
// them; after a repair the same comparison finds nothing, so repairing twice changes nothing.

/** One difference, as staff see it (contract: GET …/drift). Secrets are never shown. */
export interface Difference {
  resource: string;
  field: string;
  expected: string | null;
  actual: string | null;
}

export type Repair =
  /** The stored record is there but points elsewhere. */
  | { kind: 'update-record'; domain: string; purpose: string; id: number; content: string }
  /** A record of that name and type exists with another id than stored (or none was stored). */
  | { kind: 'adopt-record'; domain: string; purpose: string; id: number; content: string; update: boolean }
  | { kind: 'create-record'; domain: string; purpose: string; record: WantedRecord }
  | { kind: 'set-app-domains'; urls: string[] }
  /** Env vars to set; `newKey`: the key Coolify holds is not one we issued, so a new one is. */
  | { kind: 'write-env'; vars: { key: string; value: string }[]; newKey: boolean }
  | { kind: 'none'; reason: string };

export interface Finding {
  differences: Difference[];
  repair: Repair;
}

export interface WantedRecord {
  /** The zone the record lives in: the domain itself, or our base domain for a subdomain. */
  zone: string;
  name: string;
  type: 'A' | 'CNAME';
  content: string;
}

export interface FoundRecord {
  id: number;
  name: string;
  type: string;
  content: string;
}

/** The live domains of a project: only active ones; pending ones are their attach flow's business. */
export const liveDomains = (domains: ProjectDomain[]) => domains.filter((d) => d.status === 'active');

/** The apex (or subdomain) A record → the server, and www CNAME → the domain, per live domain. */
export function wantedRecords(d: ProjectDomain, serverIp: string): Record<'a' | 'www', WantedRecord> {
  const zone = d.type === 'subdomain' && d.baseDomain ? d.baseDomain : d.domain;
  return {
    a: { zone, name: d.domain, type: 'A', content: serverIp },
    www: { zone, name: `www.${d.domain}`, type: 'CNAME', content: d.domain },
  };
}

/**
 * The differences of one record: `byName` are the records INWX has with the wanted name and type,
 * `stored` the one with the stored id if INWX still has it (under any name).
 */
export function recordFinding(
  d: ProjectDomain,
  purpose: 'a' | 'www',
  wanted: WantedRecord,
  stored: FoundRecord | undefined,
  byName: FoundRecord[],
): Finding | undefined {
  const resource = `dns ${wanted.type} ${wanted.name}`;
  const storedId = d.inwxRecordIds[purpose];
  if (stored && storedId !== undefined && sameName(stored.name, wanted.name) && stored.type === wanted.type) {
    if (sameTarget(stored.content, wanted.content)) return undefined;
    return {
      differences: [{ resource, field: 'content', expected: wanted.content, actual: stored.content }],
      repair: { kind: 'update-record', domain: d.domain, purpose, id: storedId, content: wanted.content },
    };
  }
  const candidate = byName.find((r) => sameTarget(r.content, wanted.content)) ?? byName[0];
  const idDifference: Difference = {
    resource,
    field: 'recordId',
    expected: storedId === undefined ? null : String(storedId),
    actual: candidate ? String(candidate.id) : null,
  };
  if (!candidate) {
    return {
      differences: [idDifference],
      repair: { kind: 'create-record', domain: d.domain, purpose, record: wanted },
    };
  }
  const update = !sameTarget(candidate.content, wanted.content);
  return {
    differences: [
      idDifference,
      ...(update
        ? [{ resource, field: 'content', expected: wanted.content, actual: candidate.content }]
        : []),
    ],
    repair: {
      kind: 'adopt-record',
      domain: d.domain,
      purpose,
      id: candidate.id,
      content: wanted.content,
      update,
    },
  };
}

/** The URLs the application serves: every live domain, custom ones with their www (sorted). */
export function wantedAppDomains(domains: ProjectDomain[]): string[] {
  const hosts = liveDomains(domains).flatMap((d) =>
    d.type === 'subdomain' ? [d.domain] : [d.domain, `www.${d.domain}`],
  );
  return [...new Set(hosts.map((h) => `https://${h}`))].sort();
}

export function appDomainsFinding(appUuid: string, wanted: string[], actual: string[]): Finding | undefined {
  const have = [...new Set(actual.map((u) => u.trim().replace(/\/$/, '').toLowerCase()))].sort();
  if (JSON.stringify(have) === JSON.stringify(wanted)) return undefined;
  return {
    differences: [
      {
        resource: `coolify application ${appUuid}`,
        field: 'domains',
        expected: wanted.join(','),
        actual: have.join(','),
      },
    ],
    repair: { kind: 'set-app-domains', urls: wanted },
  };
}

export interface EnvState {
  projectId: string;
  marketplaceUrl: string;
  /** The hash of the key we issued (absent: none issued yet). */
  apiKeyHash: string | undefined;
}

/**
 * The satellite's env. `held` maps keys to values as Coolify reports them (null: hidden from our
 * token, which cannot be judged); `heldKeyHash` is the hash of the key Coolify holds.
 */
export function envFinding(
  appUuid: string,
  want: EnvState,
  held: Map<string, string | null>,
  heldKeyHash: string | undefined,
): Finding | undefined {
  const resource = `coolify env ${appUuid}`;
  const differences: Difference[] = [];
  const vars: { key: string; value: string }[] = [];
  for (const [key, value] of [
    ['VRS_PROJECT_ID', want.projectId],
    ['VRS_MARKETPLACE_URL', want.marketplaceUrl],
  ] as const) {
    const actual = held.get(key);
    if (actual === null || actual === value) continue;
    differences.push({ resource, field: key, expected: value, actual: actual ?? null });
    vars.push({ key, value });
  }
  const key = held.get('VRS_MARKETPLACE_KEY');
  const newKey = key !== null && (heldKeyHash === undefined || heldKeyHash !== want.apiKeyHash);
  if (newKey) {
    differences.push({
      resource,
      field: 'VRS_MARKETPLACE_KEY',
      expected: 'the key the marketplace issued',
      actual: key === undefined ? null : 'a key the marketplace did not issue',
    });
  }
  if (!differences.length) return undefined;
  return { differences, repair: { kind: 'write-env', vars, newKey } };
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase().replace(/\.$/, '') === b.toLowerCase().replace(/\.$/, '');
}

function sameTarget(a: string, b: string): boolean {
  return sameName(a, b);
}
