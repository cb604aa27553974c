import { ForbiddenError, UnauthorizedError } from '../platform/errors.js';
import { getProject } from '../projects/projects-table.js';
import { hashApiKey, looksLikeApiKey } from './api-key.js';
import { findProjectIdByApiKeyHash } from './api-keys-table.js';

// Satellites authenticate with their project API key (X-API-Key), stored only as its hash.

/** Statuses whose satellites are switched off: their keys open nothing. */
const KEYS_REFUSED_IN = new Set(['suspended', 'archived']);

/** The project a satellite's X-API-Key belongs to; 401 for an unknown key, 403 for a switched-off project. */
export async function authenticateSatellite(key: string | undefined): Promise<string> {
  if (!key) throw new UnauthorizedError('The X-API-Key header is required.');
  if (!looksLikeApiKey(key)) throw new UnauthorizedError('The API key is not valid.');
  const hash = hashApiKey(key);
  const projectId = await findProjectIdByApiKeyHash(hash);
  const project = projectId ? await getProject(projectId) : undefined;
  if (!project || project.apiKeyHash !== hash) throw new UnauthorizedError('The API key is not valid.');
  if (KEYS_REFUSED_IN.has(project.status)) {
    throw new ForbiddenError(`This project is ${project.status}; its satellite is not served.`);
  }
  return project.id;
}
