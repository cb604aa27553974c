import { inwx } from '../../integrations/inwx/from-secret.js';
import { appendLog, listDomains, removeDomainRecordId } from '../../projects/projects-table.js';
import { type LifecycleInput, lifecycleRequestOf } from './lifecycle-input.js';

// Task RemoveDnsRecords (archive-project flow): every INWX record we stored for any of the
// project's domains (the technical subdomain's A and www in our base zone, a custom domain's in its
// zone) is deleted at INWX, and its id leaves the domain item, one by one — so a rerun deletes only
// what is left, and a record already gone at INWX (2303) counts as deleted. Zones and the domains
// themselves stay (ExpireRegisteredDomains decides about those we registered).

export async function removeDnsRecords(input: LifecycleInput) {
  const { projectId } = input;
  const found = await lifecycleRequestOf(input);
  if (found.state === 'finished') return { projectId };
  const domains = (await listDomains(projectId)).filter((d) => Object.keys(d.inwxRecordIds ?? {}).length > 0);
  if (domains.length === 0) return { projectId };
  const client = await inwx();
  const removed: string[] = [];
  for (const d of domains) {
    for (const [purpose, id] of Object.entries(d.inwxRecordIds)) {
      const deleted = await client.deleteRecordIfExists(id);
      await removeDomainRecordId(projectId, d.domain, purpose);
      removed.push(`${d.unicode ?? d.domain} ${purpose} (${id}${deleted ? '' : ', gone already'})`);
    }
  }
  await appendLog({
    projectId,
    action: 'dns_removed',
    message: `DNS records deleted at INWX: ${removed.join('; ')}`,
    externalService: 'inwx',
    triggeredBy: found.request.requestedBy,
  });
  return { projectId };
}
