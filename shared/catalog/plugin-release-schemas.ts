import * as z from 'zod';
import { pluginName } from '../platform/http/common-schemas.js';
import { MAX_VERSION_LENGTH, SEMVER } from './plugin-release-rules.js';
import { CHANNELS } from './version-channels.js';

// Staff's plugin release routes (POST /v1/admin/plugins/{name}/versions, .../{version}/publish).

const semverError = 'must be a semantic version like 1.2.0 or 1.2.0-beta.1 (numbers of at most 5 digits)';
// A pattern (not a refinement), so the OpenAPI document shows it.
const semver = z
  .string()
  .max(MAX_VERSION_LENGTH, { error: semverError })
  .regex(SEMVER, { error: semverError });

export const pluginVersionsParams = z.object({ name: pluginName });
export const pluginVersionParams = z.object({ name: pluginName, version: semver });

export const createPluginVersionRequest = z.strictObject({
  version: semver,
  channel: z.enum(CHANNELS, { error: 'must be one of stable, beta, alpha' }),
});

export const pluginUploadView = z.object({
  /** A presigned S3 PUT for the ZIP, valid until `expiresAt` (at most 15 minutes). */
  uploadUrl: z.url(),
  expiresAt: z.string(),
});

export const publishedPluginVersionView = z.object({
  /** Lowercase hex sha256 of the ZIP's bytes, as downloads report it. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  sizeBytes: z.number().int(),
});
