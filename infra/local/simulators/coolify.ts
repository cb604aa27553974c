// The Coolify simulator's public entry point; the implementation lives in ./coolify/.

export type {
  CoolifyFinishedApp,
  CoolifySimulator,
  CoolifySimulatorOptions,
  CoolifyUsage,
  SimApplication,
  SimApplicationSource,
  SimDeployment,
  SimEnvironment,
  SimEnvVar,
  SimProject,
} from './coolify/model.js';
export { createCoolifySimulator, LOCAL_COOLIFY_TOKEN } from './coolify/simulator.js';
