import * as z from 'zod';

// Coolify REST v1 shapes (from Coolify's openapi.yaml). Responses are parsed
// leniently (unknown keys dropped, missing optional keys tolerated) and mapped to camelCase views.

export const DEPLOYMENT_STATUSES = [
  'queued',
  'in_progress',
  'finished',
  'failed',
  'cancelled-by-user',
] as const;
export type CoolifyDeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];
export const TERMINAL_DEPLOYMENT_STATUSES: readonly CoolifyDeploymentStatus[] = [
  'finished',
  'failed',
  'cancelled-by-user',
];

export const BUILD_PACKS = ['nixpacks', 'railpack', 'static', 'dockerfile', 'dockercompose'] as const;
export type CoolifyBuildPack = (typeof BUILD_PACKS)[number];

export interface CoolifyProject {
  uuid: string;
  name: string;
  description: string | null;
  /** Present on `getProject` (Coolify loads the relation), absent on `listProjects`. */
  environments?: CoolifyEnvironment[];
}

export interface CoolifyEnvironment {
  uuid: string;
  name: string;
  description: string | null;
}

export interface CoolifyApplication {
  uuid: string;
  name: string;
  description: string | null;
  /** Comma-separated URLs as Coolify stores them, e.g. `https://a.example,https://b.example`. */
  fqdn: string | null;
  /** `fqdn` split into URLs. */
  domains: string[];
  /** `<state>:<health>`, e.g. `running:healthy`, `exited`. Updated asynchronously by Coolify. */
  status: string;
  buildPack: string | null;
  gitRepository: string | null;
  gitBranch: string | null;
  dockerImage: string | null;
  dockerTag: string | null;
  portsExposes: string | null;
  /** `settings.is_force_https_enabled`; null when the response carried no settings. */
  isForceHttpsEnabled: boolean | null;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface CoolifyEnvVar {
  uuid: string;
  key: string;
  /** null when the token lacks `read:sensitive` (Coolify hides the value). */
  value: string | null;
  isRuntime: boolean;
  isBuildtime: boolean;
  isPreview: boolean;
  isLiteral: boolean;
  isMultiline: boolean;
  isShownOnce: boolean;
}

export interface CoolifyDeployment {
  deploymentUuid: string;
  status: CoolifyDeploymentStatus;
  applicationId: string | null;
  applicationName: string | null;
  serverName: string | null;
  commit: string | null;
  deploymentUrl: string | null;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface CoolifyDeploymentList {
  count: number;
  /** Newest first. */
  deployments: CoolifyDeployment[];
}

/** Where the application's code comes from; picks the create endpoint. */
export type CoolifyAppSource =
  | {
      kind: 'git-deploy-key';
      gitRepository: string;
      gitBranch: string;
      buildPack: CoolifyBuildPack;
      privateKeyUuid: string;
    }
  | { kind: 'git-public'; gitRepository: string; gitBranch: string; buildPack: CoolifyBuildPack }
  | { kind: 'docker-image'; image: string; tag: string };

export interface CoolifyAppCommon {
  projectUuid: string;
  serverUuid: string;
  environmentUuid: string;
  name: string;
  /** One URL or several (`https://x.vrs.gmbh`); sent as Coolify's comma-separated `domains`. */
  domains: string | string[];
  /** e.g. `80` or `80,443`. */
  portsExposes: string;
  description?: string;
  /** Needed only when the server has more than one destination. */
  destinationUuid?: string;
  /** Tags to find the application by later (`listApplications({ tag })`). */
  tags?: string[];
}

export interface CoolifyEnvInput {
  key: string;
  value: string;
  isRuntime?: boolean;
  isBuildtime?: boolean;
}

/** The state part of an application's `status` (`running:healthy` → `running`). */
const appState = (status: string) => status.split(':')[0]!.trim().toLowerCase();

/** Coolify shows the application's containers up (`running:*`). */
export const isApplicationRunning = (app: { status: string }): boolean => appState(app.status) === 'running';

/** Coolify shows the application's containers down (`exited:*`, or `stopped`). */
export const isApplicationStopped = (app: { status: string }): boolean =>
  ['exited', 'stopped'].includes(appState(app.status));

// --- response schemas -------------------------------------------------------------------------

const str = z.string().nullish();
const bool = z.boolean().nullish();

export const uuidResponse = z.object({ uuid: z.string().min(1) });

export const messageResponse = z.object({ message: str });

export const environmentSchema = z.object({ uuid: z.string(), name: z.string(), description: str });

export const projectSchema = z.object({
  uuid: z.string(),
  name: z.string(),
  description: str,
  environments: z.array(environmentSchema).nullish(),
});

export const applicationSchema = z.object({
  uuid: z.string(),
  name: z.string(),
  description: str,
  fqdn: str,
  status: str,
  build_pack: str,
  git_repository: str,
  git_branch: str,
  docker_registry_image_name: str,
  docker_registry_image_tag: str,
  ports_exposes: str,
  created_at: str,
  updated_at: str,
  settings: z.object({ is_force_https_enabled: bool }).nullish(),
});

export const createApplicationResponse = z.object({
  uuid: z.string().min(1),
  domains: z.union([z.string(), z.array(z.string())]).nullish(),
});

export const envVarSchema = z.object({
  uuid: z.string(),
  key: z.string(),
  value: str,
  is_runtime: bool,
  is_buildtime: bool,
  is_preview: bool,
  is_literal: bool,
  is_multiline: bool,
  is_shown_once: bool,
});

/** `POST /applications/{uuid}/start`: no `deployment_uuid` when Coolify skipped it (one is queued already). */
export const startResponse = z.object({ message: str, deployment_uuid: z.string().nullish() });

export const deployResponse = z.object({
  deployments: z.array(z.object({ message: str, resource_uuid: str, deployment_uuid: z.string().nullish() })),
});

export const deploymentSchema = z.object({
  deployment_uuid: z.string(),
  status: z.enum(DEPLOYMENT_STATUSES),
  application_id: z.union([z.string(), z.number()]).nullish(),
  application_name: str,
  server_name: str,
  commit: str,
  deployment_url: str,
  created_at: str,
  updated_at: str,
});

export const deploymentListSchema = z.object({
  count: z.number().int(),
  deployments: z.array(deploymentSchema),
});

// --- mapping ----------------------------------------------------------------------------------

export function splitDomains(fqdn: string | null | undefined): string[] {
  return (fqdn ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean);
}

export function toProject(p: z.infer<typeof projectSchema>): CoolifyProject {
  const project: CoolifyProject = { uuid: p.uuid, name: p.name, description: p.description ?? null };
  if (p.environments) project.environments = p.environments.map(toEnvironment);
  return project;
}

export function toEnvironment(e: z.infer<typeof environmentSchema>): CoolifyEnvironment {
  return { uuid: e.uuid, name: e.name, description: e.description ?? null };
}

export function toApplication(a: z.infer<typeof applicationSchema>): CoolifyApplication {
  return {
    uuid: a.uuid,
    name: a.name,
    description: a.description ?? null,
    fqdn: a.fqdn ?? null,
    domains: splitDomains(a.fqdn),
    status: a.status ?? 'exited',
    buildPack: a.build_pack ?? null,
    gitRepository: a.git_repository ?? null,
    gitBranch: a.git_branch ?? null,
    dockerImage: a.docker_registry_image_name ?? null,
    dockerTag: a.docker_registry_image_tag ?? null,
    portsExposes: a.ports_exposes ?? null,
    isForceHttpsEnabled: a.settings?.is_force_https_enabled ?? null,
    createdAt: a.created_at ?? null,
    updatedAt: a.updated_at ?? null,
  };
}

export function toEnvVar(e: z.infer<typeof envVarSchema>): CoolifyEnvVar {
  return {
    uuid: e.uuid,
    key: e.key,
    value: e.value ?? null,
    isRuntime: e.is_runtime ?? true,
    isBuildtime: e.is_buildtime ?? true,
    isPreview: e.is_preview ?? false,
    isLiteral: e.is_literal ?? false,
    isMultiline: e.is_multiline ?? false,
    isShownOnce: e.is_shown_once ?? false,
  };
}

export function toDeployment(d: z.infer<typeof deploymentSchema>): CoolifyDeployment {
  return {
    deploymentUuid: d.deployment_uuid,
    status: d.status,
    applicationId: d.application_id == null ? null : String(d.application_id),
    applicationName: d.application_name ?? null,
    serverName: d.server_name ?? null,
    commit: d.commit ?? null,
    deploymentUrl: d.deployment_url ?? null,
    createdAt: d.created_at ?? null,
    updatedAt: d.updated_at ?? null,
  };
}
