import { ForbiddenError, UnauthorizedError } from '../platform/errors.js';
import { getProject } from '../projects/projects-table.js';
import { hashApiKey, looksLikeApiKey } from './api-key.js';
import { findProjectIdByApiKeyHash } from './api-keys-table.js';

// Satellites authenticate with their project API key (X-API-Key), stored only as its hash.

/** Statuses whose satellites are switched off: their keys open nothing. */
const KEYS_REFUSED_IN = new Set(['suspended', 'archived']);

/** The project a satellite's X-API-Key belongs to; 401 for an unknown key, 403 for a switched-off project. */
export async function authenticateSatellite(key: string | undefined): Promise<string> {
  const { projectId, hash } = await projectOfKeyMarker(key);
  assertKeyServes(await getProject(projectId), hash);
  return projectId;
}

/**
 * First half of authenticateSatellite: the project the key's marker names (401 for an unknown key).
 * Who uses it must call assertKeyServes on the project it reads anyway (the download reads the
 * project with the license in one call).
 */
export async function projectOfKeyMarker(
  key: string | undefined,
): Promise<{ projectId: string; hash: string }> {
  if (!key) throw new UnauthorizedError('The X-API-Key header is required.');
  if (!looksLikeApiKey(key)) throw new UnauthorizedError('The API key is not valid.');
  const hash = hashApiKey(key);
  const projectId = await findProjectIdByApiKeyHash(hash);
  if (!projectId) throw new UnauthorizedError('The API key is not valid.');
  return { projectId, hash };
}

/** The hash of the X-API-Key a request carries (API Gateway lower-cases header names). */
export function apiKeyHashOf(headers: Record<string, string | undefined>): string {
  return hashApiKey(headers['x-api-key'] ?? headers['X-API-Key'] ?? '');
}

/** Second half: the key is the project's current one (401) and the project is served (403). */
export function assertKeyServes(
  project: { status: string; apiKeyHash?: string } | undefined,
  hash: string,
): void {
  if (!project || project.apiKeyHash !== hash) throw new UnauthorizedError('The API key is not valid.');
  if (KEYS_REFUSED_IN.has(project.status)) {
    throw new ForbiddenError(`This project is ${project.status}; its satellite is not served.`);
  }
}
