import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import * as z from 'zod';
import { defineConfig } from '../../platform/config.js';
import { bucketClient } from './bucket-client.js';

// Plugin ZIPs live in a private bucket; satellites get short-lived presigned GET URLs.

const config = defineConfig(
  'plugin store',
  z.object({
    PLUGIN_BUCKET: z.string().min(1),
    PLUGIN_URL_TTL_SECONDS: z.coerce.number().int().min(60).max(900).default(600),
    S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('false'),
  }),
);

const s3 = () => bucketClient(config().S3_FORCE_PATH_STYLE === 'true');

export async function presignPluginDownload(s3Key: string): Promise<{ url: string; expiresAt: string }> {
  const ttl = config().PLUGIN_URL_TTL_SECONDS;
  const url = await getSignedUrl(s3(), new GetObjectCommand({ Bucket: config().PLUGIN_BUCKET, Key: s3Key }), {
    expiresIn: ttl,
  });
  return { url, expiresAt: new Date(Date.now() + ttl * 1000).toISOString() };
}
