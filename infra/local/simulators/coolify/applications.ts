import { json, type SimResponse } from '../types.js';
import type { DeploymentQueue } from './deployment-queue.js';
import { domainConflicts, normalizeDomains } from './domains.js';
import type { CoolifySimulatorOptions, SimApplication, SimApplicationSource } from './model.js';
import { CREATE_RULES, ENUMS, fieldType, NULLABLE_FIELDS } from './request-fields.js';
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
  servers: CoolifySimulatorOptions['servers'],
): Route[] {
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
      if (conflicts.length > 0) {
        return json(409, {
          message: 'Domain conflicts detected. Use force_domain_override=true to proceed.',
          warning:
            'Using the same domain for multiple resources can cause routing conflicts and unpredictable behavior.',
          conflicts,
        });
      }
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

  /** Coolify queues the removal; here it is gone at once, with its env vars and deployments. */
  function deleteApplication(app: SimApplication): SimResponse {
    state.applications = state.applications.filter((a) => a !== app);
    state.deployments = state.deployments.filter((d) => d.application_uuid !== app.uuid);
    store.save();
    return json(200, { message: 'Application deletion request queued.' });
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
    ['DELETE', '/applications/{uuid}', (p) => withApp(store, p, deleteApplication)],
  ];
}

/** Field rules of the endpoint, then the port and domain formats; `urls` are the requested domains. */
function validateCreate(source: SimApplicationSource, body: Body): { errors: FieldErrors; urls: string[] } {
  const rules = CREATE_RULES[source];
  const errors = unknownFields(body, rules.allowed);
  for (const field of rules.allowed) {
    checkType(
      errors,
      body,
      field,
      fieldType(field),
      rules.required.includes(field),
      NULLABLE_FIELDS.has(field),
    );
    const allowedValues = ENUMS[field];
    if (allowedValues && typeof body[field] === 'string' && !allowedValues.includes(body[field])) {
      addError(errors, field, `The selected ${attr(field)} is invalid.`);
    }
  }
  if (typeof body.ports_exposes === 'string' && !/^(\d+)(,\d+)*$/.test(body.ports_exposes)) {
    addError(errors, 'ports_exposes', `The ${attr('ports_exposes')} field format is invalid.`);
  }
  const domains = typeof body.domains === 'string' ? normalizeDomains(body.domains) : { urls: [] };
  if (domains.error) addError(errors, 'domains', domains.error);
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
