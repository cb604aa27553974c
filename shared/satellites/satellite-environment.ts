import { randomBytes } from 'node:crypto';
import type { CoolifyClient } from '../integrations/coolify/coolify-client.js';
import { ConflictError, NotFoundError } from '../platform/errors.js';
import { appendLog, getProject, updateProject } from '../projects/projects-table.js';
import { generateApiKey, hashApiKey } from './api-key.js';
import { addPendingApiKey, promotePendingApiKey } from './api-keys-table.js';

// The environment a satellite reads on its Coolify application (contract: "Satellite API"):
// VRS_PROJECT_ID, VRS_MARKETPLACE_URL and VRS_MARKETPLACE_KEY, plus, for a satellite we deploy
// ourselves, the owner's first login. Provisioning and the import of a live project both use it.

export const SATELLITE_KEY_ENV = 'VRS_MARKETPLACE_KEY';
const ENV_PASSWORD = 'VRS_ADMIN_INITIAL_PASSWORD';
const KEY_ROUNDS = 3;

export interface SatelliteEnvironmentOptions {
  /** Public URL of this API (VRS_MARKETPLACE_URL). */
  marketplaceUrl: string;
  /** A new satellite gets the owner's login (password set once); an imported one has its admin. */
  ownerLogin: boolean;
}

/**
 * Makes Coolify hold a key whose hash we store. A key is issued in two steps — accepted (pending)
 * before Coolify gets it, the project's only key once Coolify holds it — so a key Coolify holds is
 * always one we accept, and a rerun after a crash between the steps converges. Runs that race
 * each other see their pending key replaced and look again. 'kept' when Coolify already held it.
 */
export async function ensureSatelliteEnvironment(
  projectId: string,
  appUuid: string,
  client: CoolifyClient,
  opts: SatelliteEnvironmentOptions,
): Promise<'kept' | 'written'> {
  for (let round = 0; round < KEY_ROUNDS; round++) {
    const [current, envs] = await Promise.all([getProject(projectId), client.listEnvs(appUuid)]);
    if (!current) throw new NotFoundError(`Project ${projectId} not found.`);
    // A value Coolify hides (token without read:sensitive) cannot be compared: it is replaced.
    const held = envs.find((e) => e.key === SATELLITE_KEY_ENV)?.value;
    const heldHash = held ? hashApiKey(held) : undefined;
    if (heldHash && heldHash === current.apiKeyHash && !current.pendingApiKeyHash) return 'kept';
    if (heldHash && heldHash === current.pendingApiKeyHash) {
      // An earlier run wrote this key to Coolify and stopped before making it the project's key.
      if (await promotePendingApiKey(projectId, heldHash, current.apiKeyHash)) return 'written';
      continue;
    }

    const apiKey = generateApiKey();
    const hash = hashApiKey(apiKey);
    if (!(await addPendingApiKey(projectId, hash, current.pendingApiKeyHash))) continue;
    const hasPassword = envs.some((e) => e.key === ENV_PASSWORD);
    await client.upsertEnvs(appUuid, [
      { key: 'VRS_PROJECT_ID', value: projectId },
      { key: 'VRS_MARKETPLACE_URL', value: opts.marketplaceUrl },
      { key: SATELLITE_KEY_ENV, value: apiKey, isBuildtime: false },
      ...(opts.ownerLogin
        ? [
            { key: 'VRS_ADMIN_EMAIL', value: current.ownerEmail },
            // Set once: the owner's initial password must not change under them on a rerun.
            ...(hasPassword
              ? []
              : [{ key: ENV_PASSWORD, value: randomBytes(12).toString('base64url'), isBuildtime: false }]),
          ]
        : []),
    ]);
    if (!(await promotePendingApiKey(projectId, hash, current.apiKeyHash))) continue;
    // The satellite reads its env when deployed: a stored deployment predates the new key.
    if (current.coolifyDeploymentUuid) await updateProject(projectId, { coolifyDeploymentUuid: undefined });
    await appendLog({
      projectId,
      action: 'environment_configured',
      message: current.apiKeyHash
        ? 'Satellite environment set; API key replaced'
        : 'Satellite environment set with a new API key',
      externalService: 'coolify',
      externalId: appUuid,
    });
    return 'written';
  }
  throw new ConflictError(
    `Concurrent runs kept replacing each other's API key for project ${projectId}; try again.`,
  );
}
