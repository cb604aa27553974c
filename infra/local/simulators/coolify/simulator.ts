import type { Fault } from '../faults.js';
import { TIMEOUT_FAULT_MS } from '../faults.js';
import { json, type SimResponse, type Simulator, stall } from '../types.js';
import { applicationRoutes } from './applications.js';
import { createDeploymentQueue } from './deployment-queue.js';
import { deploymentRoutes } from './deployments.js';
import { envVarRoutes } from './env-vars.js';
import type { CoolifySimulator, CoolifySimulatorOptions, CoolifyUsage } from './model.js';
import { projectRoutes } from './projects.js';
import { findRoute } from './routes.js';
import { serverRoutes } from './servers.js';
import { openStore } from './store.js';
import { type Body, isObject } from './validation.js';

// Coolify REST v1 simulator, mounted under /sim/coolify/api/v1. Paths, status codes, messages and
// shapes follow Coolify's openapi.yaml and its API controllers (ApplicationsController,
// ProjectController, DeployController). Deployments finish `deployDurationMs` after they were queued.

export const LOCAL_COOLIFY_TOKEN = 'local-coolify-token';

export function createCoolifySimulator(opts: CoolifySimulatorOptions): CoolifySimulator {
  const store = openStore(opts.persistPath);
  const deployments = createDeploymentQueue(store, opts);
  const routes = [
    ...projectRoutes(store),
    ...applicationRoutes(store, deployments, opts),
    ...envVarRoutes(store),
    ...deploymentRoutes(store, deployments, opts.servers),
    ...serverRoutes(opts.servers),
  ];

  const usage: CoolifyUsage = { calls: {}, listedItems: 0 };

  // Faults come before authentication, so a client sees them whatever it sends.
  const handler: Simulator = async (req, signal) => {
    const method = req.method.toUpperCase();
    const path = req.path.length > 1 ? req.path.replace(/\/+$/, '') : req.path;
    const route = findRoute(routes, method, path);
    const operation = `${method} ${route?.pattern ?? path}`;
    usage.calls[operation] = (usage.calls[operation] ?? 0) + 1;

    const fault = opts.faults.take('coolify', `${method} ${path}`);
    if (fault) return faultResponse(fault, signal);

    if (req.headers.authorization !== `Bearer ${LOCAL_COOLIFY_TOKEN}`) {
      return json(401, { message: 'Unauthenticated.' });
    }

    const body = parseBody(req.body);
    if (!body) return json(400, { message: 'Invalid JSON.' });

    deployments.advance();
    if (!route) return json(404, { message: 'Not found.' });
    const res = route.handler(route.params, req, body);
    if (typeof res.body === 'string' && res.body.startsWith('['))
      usage.listedItems += (JSON.parse(res.body) as unknown[]).length;
    return res;
  };

  return Object.assign(handler, {
    usage: () => structuredClone(usage),
    projects: () => structuredClone(store.state.projects),
    environments: () => structuredClone(store.state.environments),
    applications: () => {
      deployments.advance();
      return structuredClone(store.state.applications);
    },
    deployments: () => {
      deployments.advance();
      return structuredClone(store.state.deployments);
    },
  });
}

async function faultResponse(fault: Fault, signal: AbortSignal): Promise<SimResponse> {
  switch (fault.mode) {
    case 'error':
      return json(400, { message: 'Simulated error' });
    case 'http_500':
      return json(500, { message: 'Simulated server error' });
    case 'http_404':
      return json(404, { message: 'Not found.' });
    case 'http_429':
      return json(429, { message: 'Rate limit exceeded. Please try again later.' }, { 'retry-after': '1' });
    case 'timeout':
      await stall(TIMEOUT_FAULT_MS, signal);
      return json(504, { message: 'Simulated timeout' });
  }
}

/** An empty body is `{}`; anything but a JSON object is undefined (Coolify's 400). */
function parseBody(raw: Buffer): Body | undefined {
  if (raw.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
