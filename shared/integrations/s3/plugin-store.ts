import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import * as z from 'zod';
import { awsClientOptions } from '../../platform/aws-client-options.js';
import { defineConfig } from '../../platform/config.js';

// Plugin ZIPs live in a private bucket; satellites get short-lived presigned GET URLs.

const config = defineConfig(
  'plugin store',
  z.object({
    PLUGIN_BUCKET: z.string().min(1),
    PLUGIN_URL_TTL_SECONDS: z.coerce.number().int().min(60).max(900).default(600),
    S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('false'),
  }),
);

let client: S3Client | undefined;
function s3(): S3Client {
  client ??= new S3Client({
    ...awsClientOptions,
    forcePathStyle: config().S3_FORCE_PATH_STYLE === 'true',
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  return client;
}

export async function presignPluginDownload(s3Key: string): Promise<{ url: string; expiresAt: string }> {
  const ttl = config().PLUGIN_URL_TTL_SECONDS;
  const url = await getSignedUrl(s3(), new GetObjectCommand({ Bucket: config().PLUGIN_BUCKET, Key: s3Key }), {
    expiresIn: ttl,
  });
  return { url, expiresAt: new Date(Date.now() + ttl * 1000).toISOString() };
}
