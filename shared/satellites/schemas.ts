import * as z from 'zod';
import { LICENSE_STATUSES } from '../licensing/license.js';
import { pluginName } from '../platform/http/common-schemas.js';

export const satelliteConfigView = z.object({
  projectId: z.uuid(),
  name: z.string(),
  projectType: z.string(),
  primaryDomain: z.string().nullable(),
  plugins: z.array(z.object({ name: z.string(), version: z.string() })),
  previewProtection: z.boolean(),
  /** The X-Robots-Tag header the satellite sends on every page while protection is on, else null. */
  robotsTag: z.string().nullable(),
  settings: z.record(z.string(), z.unknown()),
});

export const satellitePluginView = z.object({
  name: z.string(),
  version: z.string().nullable(),
  status: z.enum(LICENSE_STATUSES),
  expiresAt: z.string().nullable(),
});

export const pluginNameParam = z.object({ name: pluginName });

export const pluginDownloadView = z.object({
  name: z.string(),
  version: z.string(),
  url: z.url(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  sizeBytes: z.number().int(),
  expiresAt: z.string(),
});
