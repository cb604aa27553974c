import { inwx } from '../../integrations/inwx/from-secret.js';
import { NotFoundError } from '../../platform/errors.js';
import { clearRegistryWait, updateDomain } from '../../projects/domains-table.js';
import { getProject } from '../../projects/projects-table.js';
import { getServer } from '../../servers/servers-table.js';
import { type AttachInput, requireActiveProject, requireDomain, shown } from './attach-input.js';

// Task ConfigureDomainDns (attach-domain flow, seeds/000 §4.3): the domain's own zone at INWX, the
// apex A record → the project's server and CNAME www → the domain, TTL 300, their ids stored.
// This zone is the customer's domain alone, so a record of that name pointing elsewhere (an owned
// domain's old target) is corrected; one that already matches is reused, never duplicated.

const TTL = 300;

export async function configureDomainDns({ projectId, domain }: AttachInput) {
  const [d, found] = await Promise.all([requireDomain(projectId, domain), getProject(projectId)]);
  const project = requireActiveProject(found, projectId);
  const server = project.serverId ? await getServer(project.serverId) : undefined;
  if (!server) throw new NotFoundError(`Project ${projectId} has no server assigned.`);
  const client = await inwx();
  if (d.registryTaskToken) await clearRegistryWait(projectId, domain);

  const zoneId = d.inwxZoneId ?? (await client.createZone(domain));
  const wanted = [
    { purpose: 'a', name: domain, type: 'A', content: server.ipAddress },
    { purpose: 'www', name: `www.${domain}`, type: 'CNAME', content: domain },
  ] as const;
  const ids: Record<string, number> = { ...d.inwxRecordIds };
  const changes: string[] = [];
  for (const record of wanted) {
    const existing = await client.findRecords(domain, { name: record.name, type: record.type });
    const same = existing.find((r) => sameTarget(r.content, record.content));
    let id = same?.id;
    if (id === undefined && existing[0]) {
      id = existing[0].id;
      await client.updateRecord(id, { content: record.content, ttl: TTL });
      changes.push(
        `${record.type} ${record.name} corrected from ${existing[0].content} to ${record.content}`,
      );
    } else if (id === undefined) {
      id = await client.createRecord({
        domain,
        name: record.name,
        type: record.type,
        content: record.content,
        ttl: TTL,
      });
      changes.push(`${record.type} ${record.name} → ${record.content}`);
    }
    ids[record.purpose] = id;
  }
  await updateDomain(projectId, domain, {
    fields: { inwxZoneId: zoneId, inwxRecordIds: ids },
    status: 'pending_dns',
    from: ['pending_registration', 'pending_transfer', 'pending_dns'],
    log: {
      action: 'dns_created',
      message: `DNS for ${shown(d)}: ${changes.length ? changes.join('; ') : 'records already in place'} (TTL ${TTL})`,
      externalService: 'inwx',
      externalId: String(zoneId),
    },
  });
  // The redeploy after this starts its poll bound afresh.
  return { projectId, domain, poll: { attempt: 0, redriveCount: 0, done: false, waitSeconds: 0 } };
}

function sameTarget(a: string, b: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/\.$/, '');
  return norm(a) === norm(b);
}
