import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type FaultRegistry, TIMEOUT_FAULT_MS } from './faults.js';
import { json, type SimRequest, type SimResponse, type Simulator, stall } from './types.js';

// Coolify REST v1 simulator, mounted under /sim/coolify/api/v1. Paths, status codes, messages and
// shapes follow Coolify's openapi.yaml and its API controllers (ApplicationsController,
// ProjectController, DeployController). Deployments finish `deployDurationMs` after they were queued.

export const LOCAL_COOLIFY_TOKEN = 'local-coolify-token';

export interface CoolifyFinishedApp {
  uuid: string;
  name: string;
  fqdn: string | null;
  envs: Record<string, string>;
}

export interface CoolifySimulatorOptions {
  faults: FaultRegistry;
  /** JSON file the state is loaded from and saved to after each change. */
  persistPath?: string;
  /** Time from queueing to `finished`. Default 0 (finished when next looked at). */
  deployDurationMs?: number;
  /** Called once per finished deployment, with the application's (non-preview) env vars. */
  onDeploymentFinished?: (app: CoolifyFinishedApp) => void;
  /** Servers the team owns. Without it any `server_uuid` is accepted and `GET /servers` is empty. */
  servers?: { uuid: string; name: string; ip: string }[];
}

export type SimApplicationSource = 'public' | 'private-deploy-key' | 'dockerimage';

export interface SimProject {
  id: number;
  uuid: string;
  name: string;
  description: string | null;
  created_at: string;
  updated_at: string;
}

export interface SimEnvironment {
  id: number;
  uuid: string;
  name: string;
  project_id: number;
  description: string | null;
  created_at: string;
  updated_at: string;
}

export interface SimEnvVar {
  id: number;
  uuid: string;
  key: string;
  value: string | null;
  is_preview: boolean;
  is_literal: boolean;
  is_multiline: boolean;
  is_shown_once: boolean;
  is_runtime: boolean;
  is_buildtime: boolean;
  created_at: string;
  updated_at: string;
}

export interface SimApplication {
  id: number;
  uuid: string;
  name: string;
  description: string | null;
  source: SimApplicationSource;
  project_uuid: string;
  environment_id: number;
  server_uuid: string;
  destination_uuid: string | null;
  private_key_uuid: string | null;
  git_repository: string | null;
  git_branch: string | null;
  build_pack: string;
  docker_registry_image_name: string | null;
  docker_registry_image_tag: string | null;
  ports_exposes: string | null;
  fqdn: string | null;
  status: string;
  is_force_https_enabled: boolean;
  /** Every accepted request field, as sent (for tests that check what the client sent). */
  request: Record<string, unknown>;
  envs: SimEnvVar[];
  created_at: string;
  updated_at: string;
}

export interface SimDeployment {
  id: number;
  deployment_uuid: string;
  application_id: number;
  application_uuid: string;
  status: 'queued' | 'in_progress' | 'finished' | 'failed' | 'cancelled-by-user';
  force_rebuild: boolean;
  queued_at_ms: number;
  notified: boolean;
  created_at: string;
  updated_at: string;
}

interface State {
  nextId: number;
  projects: SimProject[];
  environments: SimEnvironment[];
  applications: SimApplication[];
  deployments: SimDeployment[];
}

export type CoolifySimulator = Simulator & {
  projects(): SimProject[];
  environments(): SimEnvironment[];
  applications(): SimApplication[];
  deployments(): SimDeployment[];
};

// --- request field rules (from the spec's request bodies) -----------------------------------------

// biome-ignore format: data table
const BOOLEAN_FIELDS = new Set([
  'is_static', 'is_spa', 'is_auto_deploy_enabled', 'is_force_https_enabled', 'is_preview_deployments_enabled',
  'health_check_enabled', 'instant_deploy', 'use_build_secrets', 'is_git_submodules_enabled', 'is_git_lfs_enabled',
  'is_git_shallow_clone_enabled', 'disable_build_cache', 'inject_build_args_to_dockerfile',
  'include_source_commit_in_build', 'is_env_sorting_enabled', 'is_pr_deployments_public_enabled', 'is_gzip_enabled',
  'is_stripprefix_enabled', 'is_raw_compose_deployment_enabled', 'is_log_drain_enabled', 'is_gpu_enabled',
  'is_consistent_container_name_enabled', 'is_http_basic_auth_enabled', 'connect_to_docker_network',
  'force_domain_override', 'autogenerate_domain', 'is_container_label_escape_enabled',
  'is_preserve_repository_enabled', 'use_build_server',
]);
// biome-ignore format: data table
const INTEGER_FIELDS = new Set([
  'health_check_return_code', 'health_check_interval', 'health_check_timeout', 'health_check_retries',
  'health_check_start_period', 'limits_memory_swappiness', 'limits_cpu_shares', 'docker_images_to_keep',
  'max_restart_count', 'stop_grace_period',
]);
const ARRAY_FIELDS = new Set(['noindex_domains', 'docker_compose_domains', 'tags']);
// biome-ignore format: data table
const NULLABLE_FIELDS = new Set([
  'health_check_port', 'health_check_host', 'health_check_response_text', 'limits_cpuset', 'redirect', 'gpu_driver',
  'gpu_count', 'gpu_device_ids', 'gpu_options', 'custom_internal_name', 'http_basic_auth_username',
  'http_basic_auth_password', 'use_build_server', 'stop_grace_period',
]);

/** Fields `POST /applications/dockerimage` accepts. */
// biome-ignore format: data table
const DOCKERIMAGE_FIELDS = [
  'project_uuid', 'server_uuid', 'environment_name', 'environment_uuid', 'docker_registry_image_name',
  'docker_registry_image_tag', 'ports_exposes', 'destination_uuid', 'name', 'description', 'domains',
  'noindex_domains', 'ports_mappings', 'health_check_enabled', 'health_check_path', 'health_check_port',
  'health_check_host', 'health_check_method', 'health_check_return_code', 'health_check_scheme',
  'health_check_response_text', 'health_check_interval', 'health_check_timeout', 'health_check_retries',
  'health_check_start_period', 'limits_memory', 'limits_memory_swap', 'limits_memory_swappiness',
  'limits_memory_reservation', 'limits_cpus', 'limits_cpuset', 'limits_cpu_shares', 'custom_labels',
  'custom_docker_run_options', 'post_deployment_command', 'post_deployment_command_container',
  'pre_deployment_command', 'pre_deployment_command_container', 'manual_webhook_secret_github',
  'manual_webhook_secret_gitlab', 'manual_webhook_secret_bitbucket', 'manual_webhook_secret_gitea', 'redirect',
  'instant_deploy', 'is_force_https_enabled', 'is_preview_deployments_enabled', 'use_build_server',
  'use_build_secrets', 'is_git_submodules_enabled', 'is_git_lfs_enabled', 'is_git_shallow_clone_enabled',
  'disable_build_cache', 'inject_build_args_to_dockerfile', 'include_source_commit_in_build',
  'is_env_sorting_enabled', 'is_pr_deployments_public_enabled', 'stop_grace_period', 'docker_images_to_keep',
  'is_gzip_enabled', 'is_stripprefix_enabled', 'is_raw_compose_deployment_enabled', 'is_log_drain_enabled',
  'is_gpu_enabled', 'gpu_driver', 'gpu_count', 'gpu_device_ids', 'gpu_options',
  'is_consistent_container_name_enabled', 'custom_internal_name', 'preview_url_template', 'max_restart_count',
  'is_http_basic_auth_enabled', 'http_basic_auth_username', 'http_basic_auth_password',
  'connect_to_docker_network', 'force_domain_override', 'autogenerate_domain',
  'is_container_label_escape_enabled', 'tags',
];
/** Extra fields the git endpoints (`public`, `private-deploy-key`) accept. */
// biome-ignore format: data table
const GIT_FIELDS = [
  'git_repository', 'git_branch', 'build_pack', 'git_commit_sha', 'is_static', 'is_spa', 'is_auto_deploy_enabled',
  'static_image', 'install_command', 'build_command', 'start_command', 'base_directory', 'publish_directory',
  'dockerfile', 'dockerfile_location', 'docker_compose_location', 'docker_compose_custom_start_command',
  'docker_compose_custom_build_command', 'docker_compose_domains', 'watch_paths', 'is_preserve_repository_enabled',
];

const CREATE_RULES: Record<SimApplicationSource, { allowed: Set<string>; required: string[] }> = {
  dockerimage: {
    allowed: new Set(DOCKERIMAGE_FIELDS),
    required: ['project_uuid', 'server_uuid', 'docker_registry_image_name'],
  },
  public: {
    allowed: new Set([...DOCKERIMAGE_FIELDS, ...GIT_FIELDS]),
    required: ['project_uuid', 'server_uuid', 'git_repository', 'git_branch', 'build_pack'],
  },
  'private-deploy-key': {
    allowed: new Set([...DOCKERIMAGE_FIELDS, ...GIT_FIELDS, 'private_key_uuid']),
    required: [
      'project_uuid',
      'server_uuid',
      'private_key_uuid',
      'git_repository',
      'git_branch',
      'build_pack',
    ],
  },
};
const ENUMS: Record<string, readonly string[]> = {
  build_pack: ['nixpacks', 'railpack', 'static', 'dockerfile', 'dockercompose'],
  static_image: ['nginx:alpine'],
  redirect: ['www', 'non-www', 'both'],
};
// biome-ignore format: data table
const ENV_FIELDS = [
  'key', 'value', 'is_preview', 'is_literal', 'is_multiline', 'is_shown_once', 'is_runtime', 'is_buildtime',
];
const ENV_BOOLEANS = ENV_FIELDS.slice(2);

type Body = Record<string, unknown>;
type FieldErrors = Record<string, string[]>;

// --- the simulator -----------------------------------------------------------------------------

export function createCoolifySimulator(opts: CoolifySimulatorOptions): CoolifySimulator {
  const duration = Math.max(0, opts.deployDurationMs ?? 0);
  const state: State = load(opts.persistPath);
  const now = () => new Date().toISOString();
  const nextId = () => state.nextId++;
  const save = () => {
    if (!opts.persistPath) return;
    mkdirSync(dirname(opts.persistPath), { recursive: true });
    writeFileSync(opts.persistPath, JSON.stringify(state, null, 2));
  };

  const findProject = (uuid: string) => state.projects.find((p) => p.uuid === uuid);
  const findApp = (uuid: string) => state.applications.find((a) => a.uuid === uuid);
  const projectOfEnv = (envId: number) => {
    const env = state.environments.find((e) => e.id === envId);
    return { env, project: state.projects.find((p) => p.id === env?.project_id) };
  };

  function createEnvironment(project: SimProject, name: string): SimEnvironment {
    const env: SimEnvironment = {
      id: nextId(),
      uuid: newUuid(),
      name,
      project_id: project.id,
      description: null,
      created_at: now(),
      updated_at: now(),
    };
    state.environments.push(env);
    return env;
  }

  /** Moves deployments along by elapsed time; a finished one marks its app running and is reported once. */
  function advance(): void {
    const t = Date.now();
    let changed = false;
    for (const d of state.deployments) {
      if (d.status === 'queued' || d.status === 'in_progress') {
        const elapsed = t - d.queued_at_ms;
        const next = elapsed >= duration ? 'finished' : elapsed >= duration * 0.2 ? 'in_progress' : 'queued';
        if (next !== d.status) {
          d.status = next;
          d.updated_at = now();
          changed = true;
        }
      }
      if (d.status === 'finished' && !d.notified) {
        d.notified = true;
        changed = true;
        const app = findApp(d.application_uuid);
        if (!app) continue;
        app.status = 'running:healthy';
        app.updated_at = now();
        notify(app);
      }
    }
    if (changed) save();
  }

  function notify(app: SimApplication): void {
    if (!opts.onDeploymentFinished) return;
    const envs: Record<string, string> = {};
    for (const e of app.envs) if (!e.is_preview) envs[e.key] = e.value ?? '';
    try {
      const result: unknown = opts.onDeploymentFinished({
        uuid: app.uuid,
        name: app.name,
        fqdn: app.fqdn,
        envs,
      });
      if (result instanceof Promise)
        result.catch((err) => console.error('coolify sim: onDeploymentFinished', err));
    } catch (err) {
      console.error('coolify sim: onDeploymentFinished', err);
    }
  }

  function scheduleAdvance(): void {
    setTimeout(advance, duration + 1).unref();
  }
  if (state.deployments.some((d) => d.status === 'queued' || d.status === 'in_progress')) scheduleAdvance();

  // --- views ---

  const projectView = (p: SimProject) => ({
    id: p.id,
    uuid: p.uuid,
    name: p.name,
    description: p.description,
  });
  const environmentView = (e: SimEnvironment) => ({ ...e });
  const envVarView = (app: SimApplication, e: SimEnvVar) => ({
    ...e,
    resourceable_type: 'App\\Models\\Application',
    resourceable_id: app.id,
    real_value: e.value,
    is_shared: false,
    comment: null,
    version: '4.0.0',
  });
  const appView = (a: SimApplication) => ({
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
  });
  const serverName = (uuid: string) => opts.servers?.find((s) => s.uuid === uuid)?.name ?? 'localhost';
  const deploymentView = (d: SimDeployment) => {
    const app = findApp(d.application_uuid);
    const { env, project } = projectOfEnv(app?.environment_id ?? -1);
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
      server_name: serverName(app?.server_uuid ?? ''),
      deployment_url: `/project/${project?.uuid}/environment/${env?.uuid}/application/${d.application_uuid}/deployment/${d.deployment_uuid}`,
      destination_id: '0',
      only_this_server: false,
      rollback: false,
      commit_message: null,
    };
  };

  // --- handlers ---

  function createProject(body: Body): SimResponse {
    const errors = unknownFields(body, new Set(['name', 'description']));
    checkType(errors, body, 'name', 'string', true);
    checkType(errors, body, 'description', 'string', false, true);
    if (Object.keys(errors).length > 0) return validationFailed(errors);
    const project: SimProject = {
      id: nextId(),
      uuid: newUuid(),
      name: body.name as string,
      description: (body.description as string | undefined) ?? null,
      created_at: now(),
      updated_at: now(),
    };
    state.projects.push(project);
    createEnvironment(project, 'production'); // Project::booted()
    save();
    return json(201, { uuid: project.uuid });
  }

  function createEnvironmentRoute(projectUuid: string, body: Body): SimResponse {
    const errors = unknownFields(body, new Set(['name']));
    checkType(errors, body, 'name', 'string', true);
    if (Object.keys(errors).length > 0) return validationFailed(errors);
    const project = findProject(projectUuid);
    if (!project) return json(404, { message: 'Project not found.' });
    const name = body.name as string;
    if (state.environments.some((e) => e.project_id === project.id && e.name === name)) {
      return json(409, { message: 'Environment with this name already exists.' });
    }
    const env = createEnvironment(project, name);
    save();
    return json(201, { uuid: env.uuid });
  }

  function createApplication(source: SimApplicationSource, body: Body): SimResponse {
    const rules = CREATE_RULES[source];
    const errors = unknownFields(body, rules.allowed);
    for (const field of rules.allowed) {
      const type = BOOLEAN_FIELDS.has(field)
        ? 'boolean'
        : INTEGER_FIELDS.has(field)
          ? 'integer'
          : ARRAY_FIELDS.has(field)
            ? 'array'
            : 'string';
      checkType(errors, body, field, type, rules.required.includes(field), NULLABLE_FIELDS.has(field));
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
    if (Object.keys(errors).length > 0) return validationFailed(errors);

    const environmentUuid = body.environment_uuid as string | undefined;
    const environmentName = body.environment_name as string | undefined;
    if (!environmentUuid && !environmentName) {
      return json(422, {
        message: 'You need to provide at least one of environment_name or environment_uuid.',
      });
    }
    const project = findProject(body.project_uuid as string);
    if (!project) return json(404, { message: 'Project not found.' });
    const env = state.environments.find(
      (e) =>
        e.project_id === project.id &&
        ((environmentName && e.name === environmentName) || (environmentUuid && e.uuid === environmentUuid)),
    );
    if (!env) return json(404, { message: 'Environment not found.' });
    const serverUuid = body.server_uuid as string;
    if (opts.servers && !opts.servers.some((s) => s.uuid === serverUuid)) {
      return json(404, { message: 'Server not found.' });
    }

    if (body.force_domain_override !== true) {
      const conflicts = domainConflicts(domains.urls);
      if (conflicts.length > 0) {
        return json(409, {
          message: 'Domain conflicts detected. Use force_domain_override=true to proceed.',
          warning:
            'Using the same domain for multiple resources can cause routing conflicts and unpredictable behavior.',
          conflicts,
        });
      }
    }

    const id = nextId();
    const uuid = newUuid();
    let urls = domains.urls;
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
      request: { ...body },
      envs: [],
      created_at: now(),
      updated_at: now(),
    };
    state.applications.push(app);
    if (body.instant_deploy !== undefined && toBool(body.instant_deploy)) queueDeployment(app, false);
    save();
    return json(201, { uuid: app.uuid, domains: app.fqdn });
  }

  function domainConflicts(urls: string[]) {
    const conflicts: Record<string, unknown>[] = [];
    for (const url of urls) {
      const host = new URL(url).hostname;
      for (const other of state.applications) {
        if (!splitFqdn(other.fqdn).some((u) => new URL(u).hostname === host)) continue;
        conflicts.push({
          domain: host,
          resource_name: other.name,
          resource_uuid: other.uuid,
          resource_type: 'application',
          message: `Domain ${host} is already in use by application '${other.name}'`,
        });
      }
    }
    return conflicts;
  }

  function upsertEnvsBulk(app: SimApplication, body: Body): SimResponse {
    if (!Array.isArray(body.data) || body.data.length === 0) {
      return json(400, { message: 'Bulk data is required.' });
    }
    // Coolify keeps only the known keys of each item (`collect($item)->only([...])`).
    const items = body.data.map((raw) => pick(isObject(raw) ? raw : {}, ENV_FIELDS));
    for (const item of items) {
      const errors = validateEnv(item);
      if (Object.keys(errors).length > 0) return validationFailed(errors);
    }
    const returned = items.map((item) => {
      const key = normalizeKey(item.key as string);
      const isPreview = toBool(item.is_preview ?? false);
      const existing = app.envs.find((e) => e.key === key && e.is_preview === isPreview);
      if (existing) {
        existing.value = (item.value as string | null | undefined) ?? null;
        for (const flag of [
          'is_literal',
          'is_multiline',
          'is_shown_once',
          'is_runtime',
          'is_buildtime',
        ] as const) {
          if (item[flag] !== undefined) existing[flag] = toBool(item[flag]);
        }
        existing.updated_at = now();
        return existing;
      }
      return addEnv(app, key, item);
    });
    app.updated_at = now();
    save();
    return json(
      201,
      returned.map((e) => envVarView(app, e)),
    );
  }

  function createEnvRoute(app: SimApplication, body: Body): SimResponse {
    const errors = { ...unknownFields(body, new Set(ENV_FIELDS)), ...validateEnv(body) };
    if (Object.keys(errors).length > 0) return validationFailed(errors);
    const key = normalizeKey(body.key as string);
    const isPreview = toBool(body.is_preview ?? false);
    if (app.envs.some((e) => e.key === key && e.is_preview === isPreview)) {
      return json(409, { message: 'Environment variable already exists. Use PATCH request to update it.' });
    }
    const env = addEnv(app, key, body);
    save();
    return json(201, { uuid: env.uuid });
  }

  function addEnv(app: SimApplication, key: string, item: Body): SimEnvVar {
    const flag = (name: string, dflt: boolean) => (item[name] === undefined ? dflt : toBool(item[name]));
    const env: SimEnvVar = {
      id: nextId(),
      uuid: newUuid(),
      key,
      value: (item.value as string | null | undefined) ?? null,
      is_preview: flag('is_preview', false),
      is_literal: flag('is_literal', false),
      is_multiline: flag('is_multiline', false),
      is_shown_once: flag('is_shown_once', false),
      is_runtime: flag('is_runtime', true),
      is_buildtime: flag('is_buildtime', true),
      created_at: now(),
      updated_at: now(),
    };
    app.envs.push(env);
    return env;
  }

  function queueDeployment(app: SimApplication, force: boolean): SimDeployment {
    const d: SimDeployment = {
      id: nextId(),
      deployment_uuid: newUuid(),
      application_id: app.id,
      application_uuid: app.uuid,
      status: 'queued',
      force_rebuild: force,
      queued_at_ms: Date.now(),
      notified: false,
      created_at: now(),
      updated_at: now(),
    };
    state.deployments.push(d);
    scheduleAdvance();
    return d;
  }

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
      .map((u) => findApp(u.trim()))
      .filter((a): a is SimApplication => a !== undefined);
    if (apps.length === 0) return json(404, { message: 'No resources found.' });
    const deployments = apps.map((app) => {
      const running = state.deployments.some(
        (d) => d.application_uuid === app.uuid && (d.status === 'queued' || d.status === 'in_progress'),
      );
      if (running && !force) {
        // Coolify generates the uuid before queueing and returns it even when it skips (never created).
        return {
          message: 'Deployment already queued for this commit.',
          resource_uuid: app.uuid,
          deployment_uuid: newUuid(),
        };
      }
      const d = queueDeployment(app, force);
      return {
        message: `Application ${app.name} deployment queued.`,
        resource_uuid: app.uuid,
        deployment_uuid: d.deployment_uuid,
      };
    });
    save();
    return json(200, { deployments });
  }

  // --- routing ---

  type Handler = (p: Record<string, string>, req: SimRequest, body: Body) => SimResponse;
  const routes: [string, string, Handler][] = [
    ['GET', '/projects', () => json(200, state.projects.map(projectView))],
    ['POST', '/projects', (_p, _r, body) => createProject(body)],
    [
      'GET',
      '/projects/{uuid}',
      (p) => {
        const project = findProject(p.uuid!);
        if (!project) return json(404, { message: 'Project not found.' });
        const environments = state.environments
          .filter((e) => e.project_id === project.id)
          .map(environmentView);
        return json(200, { ...projectView(project), environments });
      },
    ],
    [
      'GET',
      '/projects/{uuid}/environments',
      (p) => {
        const project = findProject(p.uuid!);
        if (!project) return json(404, { message: 'Project not found.' });
        return json(200, state.environments.filter((e) => e.project_id === project.id).map(environmentView));
      },
    ],
    ['POST', '/projects/{uuid}/environments', (p, _r, body) => createEnvironmentRoute(p.uuid!, body)],
    [
      'GET',
      '/projects/{uuid}/{env}',
      (p) => {
        const project = findProject(p.uuid!);
        if (!project) return json(404, { message: 'Project not found.' });
        const env = state.environments.find(
          (e) => e.project_id === project.id && (e.name === p.env || e.uuid === p.env),
        );
        if (!env) return json(404, { message: 'Environment not found.' });
        return json(200, environmentView(env));
      },
    ],
    ['GET', '/applications', () => json(200, state.applications.map(appView))],
    ['POST', '/applications/public', (_p, _r, body) => createApplication('public', body)],
    [
      'POST',
      '/applications/private-deploy-key',
      (_p, _r, body) => createApplication('private-deploy-key', body),
    ],
    ['POST', '/applications/dockerimage', (_p, _r, body) => createApplication('dockerimage', body)],
    ['GET', '/applications/{uuid}', (p) => withApp(p, (app) => json(200, appView(app)))],
    [
      'GET',
      '/applications/{uuid}/envs',
      (p) =>
        withApp(p, (app) =>
          json(
            200,
            app.envs.map((e) => envVarView(app, e)),
          ),
        ),
    ],
    ['POST', '/applications/{uuid}/envs', (p, _r, body) => withApp(p, (app) => createEnvRoute(app, body))],
    [
      'PATCH',
      '/applications/{uuid}/envs/bulk',
      (p, _r, body) => withApp(p, (app) => upsertEnvsBulk(app, body)),
    ],
    ['POST', '/deploy', (_p, req, body) => deploy(req, body)],
    [
      'GET',
      '/deploy',
      () => json(405, { message: 'This endpoint has changed to a POST request.' }, { allow: 'POST' }),
    ],
    [
      'GET',
      '/deployments',
      () =>
        json(
          200,
          state.deployments
            .filter((d) => d.status === 'queued' || d.status === 'in_progress')
            .map(deploymentView),
        ),
    ],
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
        withApp(p, (app) => {
          const skip = Math.max(0, Number.parseInt(req.query.get('skip') ?? '0', 10) || 0);
          const take = Math.max(1, Number.parseInt(req.query.get('take') ?? '10', 10) || 10);
          const all = state.deployments.filter((d) => d.application_uuid === app.uuid).reverse();
          return json(200, {
            count: all.length,
            deployments: all.slice(skip, skip + take).map(deploymentView),
          });
        }),
    ],
    [
      'GET',
      '/servers',
      () =>
        json(
          200,
          (opts.servers ?? []).map((s, i) => ({
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

  function withApp(p: Record<string, string>, fn: (app: SimApplication) => SimResponse): SimResponse {
    const app = findApp(p.uuid!);
    if (!app) return json(404, { message: 'Application not found.' });
    return fn(app);
  }

  const handler: Simulator = async (req, signal) => {
    const method = req.method.toUpperCase();
    const path = req.path.length > 1 ? req.path.replace(/\/+$/, '') : req.path;

    const fault = opts.faults.take('coolify', `${method} ${path}`);
    if (fault) {
      switch (fault.mode) {
        case 'error':
          return json(400, { message: 'Simulated error' });
        case 'http_500':
          return json(500, { message: 'Simulated server error' });
        case 'http_429':
          return json(
            429,
            { message: 'Rate limit exceeded. Please try again later.' },
            { 'retry-after': '1' },
          );
        case 'timeout':
          await stall(TIMEOUT_FAULT_MS, signal);
          return json(504, { message: 'Simulated timeout' });
      }
    }

    if (req.headers.authorization !== `Bearer ${LOCAL_COOLIFY_TOKEN}`) {
      return json(401, { message: 'Unauthenticated.' });
    }

    let body: Body = {};
    if (req.body.length > 0) {
      try {
        const parsed: unknown = JSON.parse(req.body.toString('utf8'));
        if (!isObject(parsed)) return json(400, { message: 'Invalid JSON.' });
        body = parsed;
      } catch {
        return json(400, { message: 'Invalid JSON.' });
      }
    }

    advance();
    for (const [m, pattern, fn] of routes) {
      if (m !== method) continue;
      const params = matchPath(pattern, path);
      if (params) return fn(params, req, body);
    }
    return json(404, { message: 'Not found.' });
  };

  return Object.assign(handler, {
    projects: () => structuredClone(state.projects),
    environments: () => structuredClone(state.environments),
    applications: () => {
      advance();
      return structuredClone(state.applications);
    },
    deployments: () => {
      advance();
      return structuredClone(state.deployments);
    },
  });
}

// --- helpers -----------------------------------------------------------------------------------

function load(persistPath: string | undefined): State {
  const empty: State = { nextId: 1, projects: [], environments: [], applications: [], deployments: [] };
  if (!persistPath || !existsSync(persistPath)) return empty;
  try {
    return { ...empty, ...(JSON.parse(readFileSync(persistPath, 'utf8')) as Partial<State>) };
  } catch (err) {
    throw new Error(`Coolify simulator: cannot read state from ${persistPath}: ${(err as Error).message}`);
  }
}

/** 24 lowercase alphanumerics, like Coolify's cuid2 uuids. */
function newUuid(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(24);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const pSegs = pattern.split('/').filter(Boolean);
  const aSegs = path.split('/').filter(Boolean);
  if (pSegs.length !== aSegs.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, seg] of pSegs.entries()) {
    const actual = aSegs[i]!;
    const name = /^\{(.+)\}$/.exec(seg)?.[1];
    if (name) params[name] = decodeURIComponent(actual);
    else if (seg !== actual) return undefined;
  }
  return params;
}

function isObject(v: unknown): v is Body {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function pick(obj: Body, keys: string[]): Body {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => keys.includes(k)));
}

/** Laravel's attribute name in messages. */
function attr(field: string): string {
  return field.replaceAll('_', ' ');
}

function addError(errors: FieldErrors, field: string, message: string): void {
  const list = errors[field] ?? [];
  list.push(message);
  errors[field] = list;
}

function unknownFields(body: Body, allowed: Set<string>): FieldErrors {
  const errors: FieldErrors = {};
  for (const key of Object.keys(body))
    if (!allowed.has(key)) addError(errors, key, 'This field is not allowed.');
  return errors;
}

function validationFailed(errors: FieldErrors): SimResponse {
  return json(422, { message: 'Validation failed.', errors });
}

/** Laravel's `boolean` rule: true, false, 1, 0, "1", "0". */
function isLaravelBool(v: unknown): boolean {
  return v === true || v === false || v === 0 || v === 1 || v === '0' || v === '1';
}

function toBool(v: unknown): boolean {
  return v === true || v === 1 || v === '1';
}

function checkType(
  errors: FieldErrors,
  body: Body,
  field: string,
  type: 'string' | 'boolean' | 'integer' | 'array',
  required: boolean,
  nullable = false,
): void {
  const v = body[field];
  if (v === undefined || v === '' || (v === null && required)) {
    if (required) addError(errors, field, `The ${attr(field)} field is required.`);
    return;
  }
  if (v === null) {
    if (!nullable) addError(errors, field, `The ${attr(field)} field must be ${article(type)}.`);
    return;
  }
  const ok =
    type === 'string'
      ? typeof v === 'string'
      : type === 'boolean'
        ? isLaravelBool(v)
        : type === 'integer'
          ? Number.isInteger(typeof v === 'string' ? Number(v) : v)
          : Array.isArray(v);
  if (!ok) addError(errors, field, `The ${attr(field)} field must be ${article(type)}.`);
}

function article(type: 'string' | 'boolean' | 'integer' | 'array'): string {
  if (type === 'boolean') return 'true or false';
  return type === 'integer' || type === 'array' ? `an ${type}` : `a ${type}`;
}

function validateEnv(item: Body): FieldErrors {
  const errors: FieldErrors = {};
  checkType(errors, item, 'key', 'string', true);
  checkType(errors, item, 'value', 'string', false, true);
  for (const flag of ENV_BOOLEANS) checkType(errors, item, flag, 'boolean', false);
  return errors;
}

function normalizeKey(key: string): string {
  return key.trim().replaceAll(' ', '_');
}

function splitFqdn(fqdn: string | null): string[] {
  return (fqdn ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean);
}

/** Coolify's domain rules: comma-separated http(s) URLs with a host; blanks and stray commas dropped. */
function normalizeDomains(domains: string): { urls: string[]; error?: string } {
  const urls = splitFqdn(domains);
  for (const u of urls) {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      return { urls, error: `Invalid URL: ${u}` };
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      return { urls, error: 'Only http and https are supported.' };
    }
    if (!parsed.hostname) return { urls, error: `Invalid URL: ${u}` };
  }
  return { urls };
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
