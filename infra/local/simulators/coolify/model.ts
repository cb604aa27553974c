import type { FaultRegistry } from '../faults.js';
import type { Simulator } from '../types.js';

// What the Coolify simulator keeps, in Coolify's own field names, and how it is configured.

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
  /** Called when an application is stopped or deleted: its containers (the satellite) go down. */
  onApplicationStopped?: (app: CoolifyFinishedApp) => void;
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
  /** Tag names (`GET /applications?tag=` filters by them); absent in state saved before tags. */
  tags?: string[];
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

/** Calls the simulator answered, by operation (`METHOD /route/{pattern}`), and how many list items it sent. */
export interface CoolifyUsage {
  calls: Record<string, number>;
  /** Elements of every JSON array answered: what listing the team's projects or apps costs. */
  listedItems: number;
}

export type CoolifySimulator = Simulator & {
  usage(): CoolifyUsage;
  projects(): SimProject[];
  environments(): SimEnvironment[];
  applications(): SimApplication[];
  deployments(): SimDeployment[];
};
