import type { LocalStack } from '../../../infra/local/local-stack.js';
import { servers } from '../../../infra/local/seed/local-servers.js';
import type { CoolifyClient } from '../../../shared/integrations/coolify/coolify-client.js';
import { holdAtInwx, inwxClient } from './domains.js';

// A project that is live already, as it was before the marketplace knew it: its domain in our INWX
// account with A and www records, an application on Coolify serving it. Import and drift tests
// start from one.

export interface LiveSite {
  domain: string;
  fqdn: string;
  recordIds: { a?: number; www?: number };
  projectUuid: string;
  applicationUuid: string;
  serverUuid: string;
  serverId: string;
  serverIp: string;
}

/**
 * A live site on the second local server. `atInwx`: `domain` is held in our INWX account with its
 * zone and records (domain-sync has seen it); else it is a subdomain whose records live in our base
 * domain's zone (not made here).
 */
export async function liveSite(
  stack: LocalStack,
  coolify: CoolifyClient,
  domain: string,
  { atInwx }: { atInwx: boolean },
): Promise<LiveSite> {
  const server = servers(new Date().toISOString())[1]!;
  const recordIds: LiveSite['recordIds'] = {};
  if (atInwx) {
    await holdAtInwx(stack, domain);
    const inwx = inwxClient(stack);
    await inwx.createZone(domain);
    recordIds.a = await inwx.createRecord({
      domain,
      name: domain,
      type: 'A',
      content: server.ipAddress,
      ttl: 300,
    });
    recordIds.www = await inwx.createRecord({
      domain,
      name: `www.${domain}`,
      type: 'CNAME',
      content: domain,
      ttl: 300,
    });
    await inwx.logout();
  }
  const name = `live-${domain}`;
  const { uuid: projectUuid } = await coolify.createProject({ name });
  const env = await coolify.getEnvironment(projectUuid, 'production');
  const fqdn = atInwx ? `https://${domain},https://www.${domain}` : `https://${domain}`;
  const { uuid: applicationUuid } = await coolify.createApplication(
    { kind: 'docker-image', image: 'ghcr.io/vrs/satellite', tag: 'live' },
    {
      projectUuid,
      environmentUuid: env.uuid,
      serverUuid: server.coolifyUuid,
      name,
      domains: fqdn,
      portsExposes: '80',
    },
  );
  return {
    domain,
    fqdn,
    recordIds,
    projectUuid,
    applicationUuid,
    serverUuid: server.coolifyUuid,
    serverId: server.id,
    serverIp: server.ipAddress,
  };
}
