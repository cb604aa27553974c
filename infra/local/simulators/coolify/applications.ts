import { json, type SimResponse } from '../types.js';
import { type DeploymentQueue, isActive, notifyListener } from './deployment-queue.js';
import { domainConflictResponse, domainConflicts, normalizeDomains } from './domains.js';
import type { CoolifySimulatorOptions, SimApplication, SimApplicationSource } from './model.js';
import { CREATE_RULES, ENUMS, fieldType, NULLABLE_FIELDS, UPDATE_FIELDS } from './request-fields.js';
import { type Route, withApp } from './routes.js';
import { type CoolifyStore, newUuid } from './store.js';
import {
  addError,
  attr,
  type Body,
  checkType,
  type FieldErrors,
  hasErrors,
  toBool,
  unknownFields,
  validationFailed,
} from './validation.js';

// Creating and reading applications (ApplicationsController): the three create endpoints differ only
// in the fields they accept and require.

export function applicationRoutes(
  store: CoolifyStore,
  deployments: DeploymentQueue,
  opts: Pick<CoolifySimulatorOptions, 'servers' | 'onApplicationStopped'>,
): Route[] {
  const { servers } = opts;
  const { state } = store;

  function createApplication(source: SimApplicationSource, body: Body): SimResponse {
    const { errors, urls: requestedUrls } = validateCreate(source, body);
    if (hasErrors(errors)) return validationFailed(errors);

    const environmentUuid = body.environment_uuid as string | undefined;
    const environmentName = body.environment_name as string | undefined;
    if (!environmentUuid && !environmentName) {
      return json(422, {
        message: 'You need to provide at least one of environment_name or environment_uuid.',
      });
    }
    const project = store.findProject(body.project_uuid as string);
    if (!project) return json(404, { message: 'Project not found.' });
    const env = state.environments.find(
      (e) =>
        e.project_id === project.id &&
        ((environmentName && e.name === environmentName) || (environmentUuid && e.uuid === environmentUuid)),
    );
    if (!env) return json(404, { message: 'Environment not found.' });
    const serverUuid = body.server_uuid as string;
    if (servers && !servers.some((s) => s.uuid === serverUuid)) {
      return json(404, { message: 'Server not found.' });
    }

    if (body.force_domain_override !== true) {
      const conflicts = domainConflicts(requestedUrls, state.applications);
      if (conflicts.length > 0) return domainConflictResponse(conflicts);
    }

    const id = store.nextId();
    const uuid = newUuid();
    let urls = requestedUrls;
    if (urls.length === 0 && body.autogenerate_domain !== false) urls = [`http://${uuid}.127.0.0.1.sslip.io`];
    const app: SimApplication = {
      id,
      uuid,
      name: (body.name as string | undefined) ?? defaultName(source, body, uuid),
      description: (body.description as string | undefined) ?? null,
      source,
      project_uuid: project.uuid,
      environment_id: env.id,
      server_uuid: serverUuid,
      destination_uuid: (body.destination_uuid as string | undefined) ?? null,
      private_key_uuid: (body.private_key_uuid as string | undefined) ?? null,
      git_repository: (body.git_repository as string | undefined) ?? null,
      git_branch: (body.git_branch as string | undefined) ?? null,
      build_pack: source === 'dockerimage' ? 'dockerimage' : (body.build_pack as string),
      docker_registry_image_name: (body.docker_registry_image_name as string | undefined) ?? null,
      docker_registry_image_tag:
        (body.docker_registry_image_tag as string | undefined) ??
        (source === 'dockerimage' ? 'latest' : null),
      ports_exposes: (body.ports_exposes as string | undefined) ?? null,
      fqdn: urls.length > 0 ? urls.join(',') : null,
      status: 'exited',
      is_force_https_enabled:
        body.is_force_https_enabled === undefined ? true : toBool(body.is_force_https_enabled),
      tags: Array.isArray(body.tags) ? [...new Set(body.tags.map(String))] : [],
      request: { ...body },
      envs: [],
      created_at: store.now(),
      updated_at: store.now(),
    };
    state.applications.push(app);
    if (body.instant_deploy !== undefined && toBool(body.instant_deploy)) deployments.queue(app, false);
    store.save();
    return json(201, { uuid: app.uuid, domains: app.fqdn });
  }

  /**
   * PATCH /applications/{uuid} in the controller's order: the domains first (422 with a plain list of
   * messages, then 409 for domains other resources serve: the app's own do not count), then every field.
   * New domains are served from the next deployment on; an unchanged app keeps its `updated_at`.
   */
  function updateApplication(app: SimApplication, body: Body): SimResponse {
    let fqdn: string | null | undefined;
    if (body.domains !== undefined) {
      const { urls, errors } =
        typeof body.domains === 'string'
          ? normalizeDomains(body.domains)
          : { urls: [], errors: body.domains === null ? [] : ['The domains field must be a string.'] };
      if (errors.length > 0) return json(422, { message: 'Validation failed.', errors });
      if (!toBool(body.force_domain_override)) {
        const others = state.applications.filter((a) => a !== app);
        const conflicts = domainConflicts(urls, others);
        if (conflicts.length > 0) return domainConflictResponse(conflicts);
      }
      fqdn = urls.length > 0 ? urls.join(',') : null;
    }
    const errors = checkFields(body, UPDATE_FIELDS, []);
    if (hasErrors(errors)) return validationFailed(errors);
    if (app.build_pack === 'dockercompose' && body.domains !== undefined) {
      return json(422, {
        message: 'Validation failed.',
        errors: {
          domains:
            'The domains field cannot be used for dockercompose applications. Use docker_compose_domains instead to set domains for individual services.',
        },
      });
    }

    const next: SimApplication = { ...app };
    if (fqdn !== undefined) next.fqdn = fqdn;
    for (const field of UPDATABLE) if (typeof body[field] === 'string') next[field] = body[field];
    if (body.description === null) next.description = null;
    if (body.is_force_https_enabled !== undefined)
      next.is_force_https_enabled = toBool(body.is_force_https_enabled);
    if (JSON.stringify(next) !== JSON.stringify(app)) {
      Object.assign(app, next, { updated_at: store.now() });
      store.save();
    }

    if (toBool(body.instant_deploy)) {
      if (state.deployments.some((d) => d.application_uuid === app.uuid && isActive(d)))
        return json(200, { message: 'Deployment already queued for this commit.' });
      deployments.queue(app, false);
      store.save();
    }
    return json(200, { uuid: app.uuid });
  }

  /** Coolify queues the removal; here it is gone at once, with its env vars and deployments. */
  function deleteApplication(app: SimApplication): SimResponse {
    state.applications = state.applications.filter((a) => a !== app);
    state.deployments = state.deployments.filter((d) => d.application_uuid !== app.uuid);
    store.save();
    notifyListener('onApplicationStopped', opts.onApplicationStopped, app);
    return json(200, { message: 'Application deletion request queued.' });
  }

  /**
   * POST /applications/{uuid}/start (action_deploy): queues a deployment and answers its uuid; with
   * one queued already Coolify skips it and answers only a message. The app runs once it finishes.
   */
  function startApplication(app: SimApplication, force: boolean): SimResponse {
    if (state.deployments.some((d) => d.application_uuid === app.uuid && isActive(d)))
      return json(200, { message: 'Deployment already queued for this commit.' });
    const d = deployments.queue(app, force);
    store.save();
    return json(200, { message: 'Deployment request queued.', deployment_uuid: d.deployment_uuid });
  }

  /** POST /applications/{uuid}/stop: Coolify queues it; here the containers are down at once. */
  function stopApplication(app: SimApplication): SimResponse {
    if (app.status !== 'exited') {
      app.status = 'exited';
      app.updated_at = store.now();
      store.save();
    }
    notifyListener('onApplicationStopped', opts.onApplicationStopped, app);
    return json(200, { message: 'Application stopping request queued.' });
  }

  return [
    [
      'GET',
      '/applications',
      (_p, req) => {
        const tag = req.query.get('tag');
        const apps = tag ? state.applications.filter((a) => a.tags?.includes(tag)) : state.applications;
        return json(200, apps.map(appView));
      },
    ],
    ['POST', '/applications/public', (_p, _r, body) => createApplication('public', body)],
    [
      'POST',
      '/applications/private-deploy-key',
      (_p, _r, body) => createApplication('private-deploy-key', body),
    ],
    ['POST', '/applications/dockerimage', (_p, _r, body) => createApplication('dockerimage', body)],
    ['GET', '/applications/{uuid}', (p) => withApp(store, p, (app) => json(200, appView(app)))],
    [
      'PATCH',
      '/applications/{uuid}',
      (p, _r, body) =>
        Object.keys(body).length === 0
          ? json(400, { message: 'Invalid request.', error: 'Empty JSON.' })
          : withApp(store, p, (app) => updateApplication(app, body)),
    ],
    ['DELETE', '/applications/{uuid}', (p) => withApp(store, p, deleteApplication)],
    [
      'POST',
      '/applications/{uuid}/start',
      (p, req) =>
        withApp(store, p, (app) =>
          startApplication(app, ['true', '1'].includes(req.query.get('force') ?? '')),
        ),
    ],
    ['POST', '/applications/{uuid}/stop', (p) => withApp(store, p, stopApplication)],
  ];
}

/** String fields of the application the simulator keeps, which PATCH may change. */
const UPDATABLE = [
  'name',
  'description',
  'git_repository',
  'git_branch',
  'build_pack',
  'docker_registry_image_name',
  'docker_registry_image_tag',
  'ports_exposes',
] as const;

/** Unknown fields, then each allowed field's type, enum values and the port format. */
function checkFields(body: Body, allowed: Set<string>, required: string[]): FieldErrors {
  const errors = unknownFields(body, allowed);
  for (const field of allowed) {
    checkType(errors, body, field, fieldType(field), required.includes(field), NULLABLE_FIELDS.has(field));
    const allowedValues = ENUMS[field];
    if (allowedValues && typeof body[field] === 'string' && !allowedValues.includes(body[field])) {
      addError(errors, field, `The selected ${attr(field)} is invalid.`);
    }
  }
  if (typeof body.ports_exposes === 'string' && !/^(\d+)(,\d+)*$/.test(body.ports_exposes)) {
    addError(errors, 'ports_exposes', `The ${attr('ports_exposes')} field format is invalid.`);
  }
  return errors;
}

/** Field rules of the endpoint, then the domain formats; `urls` are the requested domains. */
function validateCreate(source: SimApplicationSource, body: Body): { errors: FieldErrors; urls: string[] } {
  const rules = CREATE_RULES[source];
  const errors = checkFields(body, rules.allowed, rules.required);
  const domains =
    typeof body.domains === 'string' ? normalizeDomains(body.domains) : { urls: [], errors: [] };
  for (const message of domains.errors) addError(errors, 'domains', message);
  return { errors, urls: domains.urls };
}

function defaultName(source: SimApplicationSource, body: Body, uuid: string): string {
  if (source === 'dockerimage')
    return `${String(body.docker_registry_image_name).replaceAll('/', '-')}-${uuid}`;
  const repo = String(body.git_repository ?? '')
    .replace(/\.git$/, '')
    .split(/[/:]/)
    .filter(Boolean)
    .slice(-2)
    .join('/');
  return `${repo.replaceAll('/', '-')}:${body.git_branch}-${uuid}`;
}

function appView(a: SimApplication) {
  return {
    id: a.id,
    uuid: a.uuid,
    name: a.name,
    description: a.description,
    fqdn: a.fqdn,
    config_hash: null,
    git_repository: a.git_repository,
    git_branch: a.git_branch,
    git_commit_sha: 'HEAD',
    git_full_url: null,
    docker_registry_image_name: a.docker_registry_image_name,
    docker_registry_image_tag: a.docker_registry_image_tag,
    build_pack: a.build_pack,
    ports_exposes: a.ports_exposes,
    ports_mappings: null,
    base_directory: '/',
    status: a.status,
    destination_type: 'App\\Models\\StandaloneDocker',
    destination_id: 0,
    private_key_id: a.private_key_uuid ? 0 : null,
    environment_id: a.environment_id,
    created_at: a.created_at,
    updated_at: a.updated_at,
    deleted_at: null,
    settings: {
      application_id: a.id,
      is_force_https_enabled: a.is_force_https_enabled,
      is_static: false,
      is_auto_deploy_enabled: true,
      is_preview_deployments_enabled: false,
    },
  };
}
