import type { LocalStack } from '../../infra/local/local-stack.js';
import { servers } from '../../infra/local/seed/local-servers.js';
import { LOCAL_COOLIFY_TOKEN } from '../../infra/local/simulators/coolify.js';
import { CoolifyClient } from '../../shared/integrations/coolify/coolify-client.js';

/** Puts `size` other projects, each with one application, into the local stack's Coolify (as another team's fleet would be). */
export async function addCoolifyFleet(stack: LocalStack, size: number, batch = 25): Promise<void> {
  const client = new CoolifyClient({
    baseUrl: `${stack.url}/sim/coolify/api/v1`,
    token: LOCAL_COOLIFY_TOKEN,
  });
  const serverUuid = servers(new Date().toISOString())[0]!.coolifyUuid;
  const tag = Date.now().toString(36);
  for (let start = 0; start < size; start += batch) {
    const indexes = Array.from({ length: Math.min(batch, size - start) }, (_, i) => start + i);
    await Promise.all(
      indexes.map(async (i) => {
        const name = `fleet-${tag}-${i}`;
        const { uuid: projectUuid } = await client.createProject({ name });
        const env = await client.getEnvironment(projectUuid, 'production');
        await client.createApplication(
          { kind: 'docker-image', image: 'nginx', tag: 'latest' },
          {
            projectUuid,
            environmentUuid: env.uuid,
            serverUuid,
            name,
            domains: `https://${name}.example.org`,
            portsExposes: '80',
          },
        );
      }),
    );
  }
}
