import { json } from '../types.js';
import type { CoolifySimulatorOptions } from './model.js';
import type { Route } from './routes.js';

// The team's servers come from the options; the simulator never creates any.

type Servers = CoolifySimulatorOptions['servers'];

export function serverRoutes(servers: Servers): Route[] {
  return [
    [
      'GET',
      '/servers',
      () =>
        json(
          200,
          (servers ?? []).map((s, i) => ({
            id: i + 1,
            uuid: s.uuid,
            name: s.name,
            description: null,
            ip: s.ip,
            user: 'root',
            port: 22,
            proxy_type: 'traefik',
            settings: {
              is_reachable: true,
              is_usable: true,
              concurrent_builds: 2,
              deployment_queue_limit: 25,
            },
          })),
        ),
    ],
  ];
}

/** Without configured servers every deployment runs on Coolify's own `localhost`. */
export function serverName(servers: Servers, uuid: string): string {
  return servers?.find((s) => s.uuid === uuid)?.name ?? 'localhost';
}
