// Coolify REST v1 client. Implementation lives in ./coolify/ (types, http transport, client).
export { CoolifyClient } from './client.js';
export {
  CoolifyApiError,
  type CoolifyClientOptions,
  type CoolifyErrorDetails,
  isCoolifyStatus,
} from './http.js';
export {
  BUILD_PACKS,
  type CoolifyAppCommon,
  type CoolifyApplication,
  type CoolifyAppSource,
  type CoolifyBuildPack,
  type CoolifyDeployment,
  type CoolifyDeploymentList,
  type CoolifyDeploymentStatus,
  type CoolifyEnvInput,
  type CoolifyEnvironment,
  type CoolifyEnvVar,
  type CoolifyProject,
  DEPLOYMENT_STATUSES,
  isApplicationRunning,
  isApplicationStopped,
  TERMINAL_DEPLOYMENT_STATUSES,
} from './types.js';
