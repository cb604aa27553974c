import * as z from 'zod';
import { ValidationError } from '../../platform/errors.js';
import { type CoolifyClientOptions, CoolifyHttp, isCoolifyStatus } from './http.js';
import {
  applicationSchema,
  type CoolifyAppCommon,
  type CoolifyApplication,
  type CoolifyAppSource,
  type CoolifyDeployment,
  type CoolifyDeploymentList,
  type CoolifyEnvInput,
  type CoolifyEnvironment,
  type CoolifyEnvVar,
  type CoolifyProject,
  createApplicationResponse,
  deploymentListSchema,
  deploymentSchema,
  deployResponse,
  environmentSchema,
  envVarSchema,
  messageResponse,
  projectSchema,
  splitDomains,
  startResponse,
  toApplication,
  toDeployment,
  toEnvironment,
  toEnvVar,
  toProject,
  uuidResponse,
} from './types.js';

const CREATE_PATHS: Record<CoolifyAppSource['kind'], string> = {
  'git-deploy-key': '/applications/private-deploy-key',
  'git-public': '/applications/public',
  'docker-image': '/applications/dockerimage',
};

const seg = encodeURIComponent;

/** Typed Coolify REST v1 client. Sends only fields Coolify documents (it rejects unknown ones with 422). */
export class CoolifyClient {
  private readonly http: CoolifyHttp;

  constructor(opts: CoolifyClientOptions) {
    this.http = new CoolifyHttp(opts);
  }

  async createProject(input: { name: string; description?: string }): Promise<{ uuid: string }> {
    const body: Record<string, string> = { name: input.name };
    if (input.description !== undefined) body.description = input.description;
    const res = await this.http.request('POST', '/projects', { body, schema: uuidResponse });
    return { uuid: res.uuid };
  }

  async listProjects(): Promise<{ uuid: string; name: string }[]> {
    const res = await this.http.request('GET', '/projects', { schema: z.array(projectSchema) });
    return res.map((p) => ({ uuid: p.uuid, name: p.name }));
  }

  /** Deletes an (empty) project; one Coolify no longer has counts as deleted. */
  async deleteProject(uuid: string): Promise<void> {
    await ignoreNotFound(this.http.request('DELETE', `/projects/${seg(uuid)}`, { schema: messageResponse }));
  }

  async getProject(uuid: string): Promise<CoolifyProject> {
    return toProject(await this.http.request('GET', `/projects/${seg(uuid)}`, { schema: projectSchema }));
  }

  /** Creates an environment; when one with that name exists already (409) returns it instead. */
  async createEnvironment(projectUuid: string, name: string): Promise<{ uuid: string }> {
    try {
      const res = await this.http.request('POST', `/projects/${seg(projectUuid)}/environments`, {
        body: { name },
        schema: uuidResponse,
      });
      return { uuid: res.uuid };
    } catch (err) {
      if (!isCoolifyStatus(err, 409)) throw err;
      const existing = await this.getEnvironment(projectUuid, name);
      return { uuid: existing.uuid };
    }
  }

  async getEnvironment(projectUuid: string, nameOrUuid: string): Promise<CoolifyEnvironment> {
    const path = `/projects/${seg(projectUuid)}/${seg(nameOrUuid)}`;
    return toEnvironment(await this.http.request('GET', path, { schema: environmentSchema }));
  }

  /** Every application of the team, or only those carrying `tag` (Coolify filters them). */
  async listApplications(filter: { tag?: string } = {}): Promise<CoolifyApplication[]> {
    const res = await this.http.request('GET', '/applications', {
      query: { tag: filter.tag },
      schema: z.array(applicationSchema),
    });
    return res.map(toApplication);
  }

  /** Deletes an application with its configuration and volumes; one already gone counts as deleted. */
  async deleteApplication(uuid: string): Promise<void> {
    await ignoreNotFound(
      this.http.request('DELETE', `/applications/${seg(uuid)}`, { schema: messageResponse }),
    );
  }

  /** The application, with its current `domains` (`fqdn` split) to compare before changing them. */
  async getApplication(uuid: string): Promise<CoolifyApplication> {
    const path = `/applications/${seg(uuid)}`;
    return toApplication(await this.http.request('GET', path, { schema: applicationSchema }));
  }

  /**
   * Replaces the application's domains (full URLs, the first one primary); Coolify serves them from the
   * next deployment on. No `force_domain_override`: a domain another resource serves is a 409 with
   * `conflicts`. Sending the set it already has changes nothing. `is_force_https_enabled` is not sent:
   * it stays as set on creation, and v4.0.0 betas (e.g. beta.420, beta.453) refuse it on PATCH (422).
   */
  async updateApplicationDomains(uuid: string, domains: string[]): Promise<void> {
    const urls = domains.map((d) => d.trim()).filter(Boolean);
    // An empty `domains` would leave the application with none, i.e. offline.
    if (urls.length === 0) throw new ValidationError(`Application ${uuid} needs at least one domain.`);
    await this.http.request('PATCH', `/applications/${seg(uuid)}`, {
      body: { domains: urls.join(',') },
      schema: uuidResponse,
    });
  }

  /** Creates the application without deploying it (`instant_deploy: false`), HTTPS forced. */
  async createApplication(
    source: CoolifyAppSource,
    common: CoolifyAppCommon,
  ): Promise<{ uuid: string; domains: string[] }> {
    const domains = Array.isArray(common.domains) ? common.domains.join(',') : common.domains;
    const body: Record<string, unknown> = {
      project_uuid: common.projectUuid,
      server_uuid: common.serverUuid,
      environment_uuid: common.environmentUuid,
      name: common.name,
      domains,
      is_force_https_enabled: true,
      instant_deploy: false,
      ports_exposes: common.portsExposes,
    };
    if (common.description !== undefined) body.description = common.description;
    if (common.destinationUuid !== undefined) body.destination_uuid = common.destinationUuid;
    if (common.tags !== undefined) body.tags = common.tags;
    switch (source.kind) {
      case 'git-deploy-key':
        body.private_key_uuid = source.privateKeyUuid;
        Object.assign(body, gitFields(source));
        break;
      case 'git-public':
        Object.assign(body, gitFields(source));
        break;
      case 'docker-image':
        body.docker_registry_image_name = source.image;
        body.docker_registry_image_tag = source.tag;
        break;
    }
    const res = await this.http.request('POST', CREATE_PATHS[source.kind], {
      body,
      schema: createApplicationResponse,
    });
    const returned = Array.isArray(res.domains) ? res.domains : splitDomains(res.domains);
    return { uuid: res.uuid, domains: returned.length > 0 ? returned : splitDomains(domains) };
  }

  /** Creates missing keys and updates existing ones (`PATCH /applications/{uuid}/envs/bulk`). */
  async upsertEnvs(appUuid: string, vars: CoolifyEnvInput[]): Promise<CoolifyEnvVar[]> {
    const data = vars.map((v) => {
      // is_runtime / is_buildtime are read by the controller (default true) though the spec omits them.
      const item: Record<string, unknown> = { key: v.key, value: v.value };
      if (v.isRuntime !== undefined) item.is_runtime = v.isRuntime;
      if (v.isBuildtime !== undefined) item.is_buildtime = v.isBuildtime;
      return item;
    });
    const res = await this.http.request('PATCH', `/applications/${seg(appUuid)}/envs/bulk`, {
      body: { data },
      schema: z.array(envVarSchema),
    });
    return res.map(toEnvVar);
  }

  async listEnvs(appUuid: string): Promise<CoolifyEnvVar[]> {
    const path = `/applications/${seg(appUuid)}/envs`;
    return (await this.http.request('GET', path, { schema: z.array(envVarSchema) })).map(toEnvVar);
  }

  /**
   * Queues a deployment. Without `force` Coolify may skip it (one already queued for the commit) and
   * still return a uuid that never exists: `getDeployment` then answers null.
   */
  async deploy(
    appUuid: string,
    opts: { force?: boolean } = {},
  ): Promise<{ deploymentUuid: string | null; message: string | null }> {
    const res = await this.http.request('POST', '/deploy', {
      query: { uuid: appUuid, ...(opts.force && { force: true }) },
      schema: deployResponse,
    });
    const entry = res.deployments.find((d) => d.resource_uuid === appUuid) ?? res.deployments[0];
    return { deploymentUuid: entry?.deployment_uuid ?? null, message: entry?.message ?? null };
  }

  /**
   * Starts a stopped application: Coolify queues a deployment (`POST /applications/{uuid}/start`).
   * `deploymentUuid` is null when Coolify skipped it because one is queued already (see
   * `listApplicationDeployments` for that one). A 404 (no such application) is thrown.
   */
  async startApplication(uuid: string): Promise<{ deploymentUuid: string | null; message: string | null }> {
    const res = await this.http.request('POST', `/applications/${seg(uuid)}/start`, {
      schema: startResponse,
    });
    return { deploymentUuid: res.deployment_uuid ?? null, message: res.message ?? null };
  }

  /**
   * Stops the application's containers (`POST /applications/{uuid}/stop`; Coolify queues it and
   * shows `exited` once done). Stopping a stopped application is fine; a 404 is thrown.
   */
  async stopApplication(uuid: string): Promise<void> {
    await this.http.request('POST', `/applications/${seg(uuid)}/stop`, { schema: messageResponse });
  }

  /** The deployment, or null when Coolify does not know it (404, see `deploy`). */
  async getDeployment(uuid: string): Promise<CoolifyDeployment | null> {
    try {
      const path = `/deployments/${seg(uuid)}`;
      return toDeployment(await this.http.request('GET', path, { schema: deploymentSchema }));
    } catch (err) {
      if (isCoolifyStatus(err, 404)) return null;
      throw err;
    }
  }

  /** Deployments of one application, newest first. */
  async listApplicationDeployments(
    appUuid: string,
    page: { skip?: number; take?: number } = {},
  ): Promise<CoolifyDeploymentList> {
    const res = await this.http.request('GET', `/deployments/applications/${seg(appUuid)}`, {
      query: { skip: page.skip, take: page.take },
      schema: deploymentListSchema,
    });
    return { count: res.count, deployments: res.deployments.map(toDeployment) };
  }
}

async function ignoreNotFound(request: Promise<unknown>): Promise<void> {
  try {
    await request;
  } catch (err) {
    if (!isCoolifyStatus(err, 404)) throw err;
  }
}

function gitFields(source: { gitRepository: string; gitBranch: string; buildPack: string }) {
  return { git_repository: source.gitRepository, git_branch: source.gitBranch, build_pack: source.buildPack };
}
