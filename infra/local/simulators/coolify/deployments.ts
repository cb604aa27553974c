import { json, type SimRequest, type SimResponse } from '../types.js';
import { type DeploymentQueue, isActive } from './deployment-queue.js';
import type { CoolifySimulatorOptions, SimApplication, SimDeployment } from './model.js';
import { type Route, withApp } from './routes.js';
import { serverName } from './servers.js';
import { type CoolifyStore, newUuid } from './store.js';
import type { Body } from './validation.js';

// POST /deploy (DeployController) and reading deployments back.

export function deploymentRoutes(
  store: CoolifyStore,
  queue: DeploymentQueue,
  servers: CoolifySimulatorOptions['servers'],
): Route[] {
  const { state } = store;

  function deploy(req: SimRequest, body: Body): SimResponse {
    const uuidParam = req.query.get('uuid') ?? (typeof body.uuid === 'string' ? body.uuid : null);
    const tagParam = req.query.get('tag') ?? (typeof body.tag === 'string' ? body.tag : null);
    const forceParam = req.query.get('force') ?? body.force;
    const force = forceParam === true || forceParam === 'true' || forceParam === '1' || forceParam === 1;
    if (uuidParam && tagParam) return json(400, { message: 'You can only use uuid or tag, not both.' });
    if (!uuidParam && !tagParam) return json(400, { message: 'You must provide uuid or tag.' });
    if (!uuidParam) return json(404, { message: 'No resources found.' }); // tags are not simulated
    const apps = uuidParam
      .split(',')
      .map((u) => store.findApp(u.trim()))
      .filter((a): a is SimApplication => a !== undefined);
    if (apps.length === 0) return json(404, { message: 'No resources found.' });
    const deployments = apps.map((app) => {
      const running = state.deployments.some((d) => d.application_uuid === app.uuid && isActive(d));
      if (running && !force) {
        // Coolify generates the uuid before queueing and returns it even when it skips (never created).
        return {
          message: 'Deployment already queued for this commit.',
          resource_uuid: app.uuid,
          deployment_uuid: newUuid(),
        };
      }
      const d = queue.queue(app, force);
      return {
        message: `Application ${app.name} deployment queued.`,
        resource_uuid: app.uuid,
        deployment_uuid: d.deployment_uuid,
      };
    });
    store.save();
    return json(200, { deployments });
  }

  function deploymentView(d: SimDeployment) {
    const app = store.findApp(d.application_uuid);
    const { env, project } = store.projectOfEnv(app?.environment_id ?? -1);
    return {
      id: d.id,
      application_id: String(d.application_id),
      deployment_uuid: d.deployment_uuid,
      pull_request_id: 0,
      force_rebuild: d.force_rebuild,
      commit: 'HEAD',
      status: d.status,
      is_webhook: false,
      is_api: true,
      created_at: d.created_at,
      updated_at: d.updated_at,
      current_process_id: null,
      restart_only: false,
      git_type: null,
      server_id: 0,
      application_name: app?.name ?? null,
      server_name: serverName(servers, app?.server_uuid ?? ''),
      deployment_url: `/project/${project?.uuid}/environment/${env?.uuid}/application/${d.application_uuid}/deployment/${d.deployment_uuid}`,
      destination_id: '0',
      only_this_server: false,
      rollback: false,
      commit_message: null,
    };
  }

  return [
    ['POST', '/deploy', (_p, req, body) => deploy(req, body)],
    [
      'GET',
      '/deploy',
      () => json(405, { message: 'This endpoint has changed to a POST request.' }, { allow: 'POST' }),
    ],
    ['GET', '/deployments', () => json(200, state.deployments.filter(isActive).map(deploymentView))],
    [
      'GET',
      '/deployments/{uuid}',
      (p) => {
        const d = state.deployments.find((x) => x.deployment_uuid === p.uuid);
        if (!d) return json(404, { message: 'Deployment not found.' });
        return json(200, deploymentView(d));
      },
    ],
    [
      'GET',
      '/deployments/applications/{uuid}',
      (p, req) =>
        withApp(store, p, (app) => {
          const skip = Math.max(0, Number.parseInt(req.query.get('skip') ?? '0', 10) || 0);
          const take = Math.max(1, Number.parseInt(req.query.get('take') ?? '10', 10) || 10);
          const all = state.deployments.filter((d) => d.application_uuid === app.uuid).reverse();
          return json(200, {
            count: all.length,
            deployments: all.slice(skip, skip + take).map(deploymentView),
          });
        }),
    ],
  ];
}
