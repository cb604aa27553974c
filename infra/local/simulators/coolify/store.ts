import { randomBytes } from 'node:crypto';
import { readJsonFile, writeJsonFile } from '../../engines/json-file.js';
import type { SimApplication, SimDeployment, SimEnvironment, SimProject } from './model.js';

// The simulator's whole state is one JSON-serialisable object, rewritten to `persistPath` after each
// change so a restarted local stack keeps its projects, applications and deployments.

interface State {
  nextId: number;
  projects: SimProject[];
  environments: SimEnvironment[];
  applications: SimApplication[];
  deployments: SimDeployment[];
}

export interface CoolifyStore {
  readonly state: State;
  now(): string;
  nextId(): number;
  save(): void;
  findProject(uuid: string): SimProject | undefined;
  findApp(uuid: string): SimApplication | undefined;
  projectOfEnv(envId: number): { env: SimEnvironment | undefined; project: SimProject | undefined };
}

export function openStore(persistPath: string | undefined): CoolifyStore {
  const state = load(persistPath);
  return {
    state,
    now: () => new Date().toISOString(),
    nextId: () => state.nextId++,
    save: () => {
      if (persistPath) writeJsonFile(persistPath, state);
    },
    findProject: (uuid) => state.projects.find((p) => p.uuid === uuid),
    findApp: (uuid) => state.applications.find((a) => a.uuid === uuid),
    projectOfEnv: (envId) => {
      const env = state.environments.find((e) => e.id === envId);
      return { env, project: state.projects.find((p) => p.id === env?.project_id) };
    },
  };
}

function load(persistPath: string | undefined): State {
  const empty: State = { nextId: 1, projects: [], environments: [], applications: [], deployments: [] };
  return { ...empty, ...readJsonFile<Partial<State>>(persistPath, 'Coolify simulator') };
}

/** 24 lowercase alphanumerics, like Coolify's cuid2 uuids. */
export function newUuid(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(24);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}
