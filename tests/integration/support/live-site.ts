import { servers } from '../../../infra/local/seed/local-servers.js';
import type { CoolifyClient } from '../../../shared/integrations/coolify/coolify-client.js';
import type { InwxClient } from '../../../shared/integrations/inwx/inwx-client.js';

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

/** The holder of domains we held before the marketplace. */
export const earlierCustomer = {
  type: 'PERSON' as const,
  name: 'Alt Kunde',
  street: 'Weg 1',
  city: 'Bonn',
  postalCode: '53111',
  countryCode: 'DE',
  email: 'alt@example.com',
  phone: '+49 228 123456',
};

/** Registers `domain` in the INWX simulator and waits until it is ours (status OK). */
export async function holdDomain(inwx: InwxClient, domain: string): Promise<void> {
  const handle = await inwx.ensureContact(earlierCustomer);
  await inwx.createDomain({
    domain,
    period: '1Y',
    registrant: handle,
    admin: handle,
    tech: handle,
    billing: handle,
  });
  for (let i = 0; (await inwx.domainInfo(domain))?.status !== 'OK'; i++) {
    if (i > 100) throw new Error(`${domain} was not registered in time`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A live site on the second local server. With `inwx`, `domain` is held at INWX with its zone and
 * records; without, it is a subdomain whose records live in our base domain's zone (not made here).
 */
export async function liveSite(
  inwx: InwxClient | undefined,
  coolify: CoolifyClient,
  domain: string,
): Promise<LiveSite> {
  const server = servers(new Date().toISOString())[1]!;
  const recordIds: LiveSite['recordIds'] = {};
  if (inwx) {
    await holdDomain(inwx, domain);
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
  }
  const name = `live-${domain}`;
  const { uuid: projectUuid } = await coolify.createProject({ name });
  const env = await coolify.getEnvironment(projectUuid, 'production');
  const fqdn = inwx ? `https://${domain},https://www.${domain}` : `https://${domain}`;
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
