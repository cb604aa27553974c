import { inwx } from '../../integrations/inwx/from-secret.js';
import { ConflictError, NotFoundError } from '../../platform/errors.js';
import {
  appendLog,
  getProject,
  listDomains,
  setDomainRecordId,
  setDomainStatus,
} from '../../projects/projects-table.js';
import { getServer } from '../../servers/servers-table.js';
import { requireInProgress } from './guards.js';

// Task CreateDnsRecords (seeds/000 §4.3): for sub.base — A sub → server IP and CNAME www.sub →
// sub.base, TTL 300, in the base domain's zone at INWX. Each record id is stored on the domain;
// a record already stored, or already present at INWX, is reused (never a second record).

export const DNS_TTL = 300;

interface WantedRecord {
  purpose: 'a' | 'www';
  name: string;
  type: 'A' | 'CNAME';
  content: string;
}

export async function createDnsRecords(
  projectId: string,
): Promise<{ projectId: string; records: Record<string, number> }> {
  const project = requireInProgress(await getProject(projectId), projectId);
  // The technical subdomain, also once a custom domain has become primary (a later redrive).
  const domain = (await listDomains(projectId)).find((d) => d.type === 'subdomain');
  if (!domain?.subdomain || !domain.baseDomain)
    throw new NotFoundError(`Project ${projectId} has no subdomain to set up.`);
  const server = project.serverId ? await getServer(project.serverId) : undefined;
  if (!server) throw new NotFoundError(`Project ${projectId} has no server assigned.`);

  const zone = domain.baseDomain;
  const wanted: WantedRecord[] = [
    { purpose: 'a', name: domain.domain, type: 'A', content: server.ipAddress },
    { purpose: 'www', name: `www.${domain.domain}`, type: 'CNAME', content: domain.domain },
  ];
  const client = await inwx();
  const ids: Record<string, number> = { ...domain.inwxRecordIds };
  for (const record of wanted) {
    if (ids[record.purpose] !== undefined) continue;
    const existing = await client.findRecords(zone, { name: record.name, type: record.type });
    const same = existing.find((r) => sameContent(r.content, record.content));
    if (!same && existing.length > 0) {
      // Somebody else's record of that name: never overwrite it silently.
      throw new ConflictError(
        `${record.type} ${record.name} already exists at INWX pointing to ${existing[0]!.content}.`,
      );
    }
    const id =
      same?.id ??
      (await client.createRecord({
        domain: zone,
        name: record.name,
        type: record.type,
        content: record.content,
        ttl: DNS_TTL,
      }));
    await setDomainRecordId(projectId, domain.domain, record.purpose, id);
    ids[record.purpose] = id;
    await appendLog({
      projectId,
      action: 'dns_created',
      message: `${record.type} ${record.name} → ${record.content} (TTL ${DNS_TTL})${same ? ', existing record reused' : ''}`,
      externalService: 'inwx',
      externalId: String(id),
    });
  }
  if (domain.status !== 'active') await setDomainStatus(projectId, domain.domain, 'active');
  return { projectId, records: ids };
}

function sameContent(a: string, b: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/\.$/, '');
  return norm(a) === norm(b);
}
