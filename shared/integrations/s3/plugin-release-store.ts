import { createHash } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import * as z from 'zod';
import { defineConfig } from '../../platform/config.js';
import { bucketClient } from './bucket-client.js';

// Staff's plugin releases in the plugin bucket: a presigned PUT to a staging key, then the publish
// reads the upload (bounded), writes the checked bytes to their release key and drops the upload.
// Apart from plugin-store.ts (downloads) so the download function keeps read-only access.

const config = defineConfig(
  'plugin release store',
  z.object({
    PLUGIN_BUCKET: z.string().min(1),
    S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('false'),
  }),
);

/** How long a presigned upload URL is valid (the contract's "at most 15 minutes"). */
export const UPLOAD_URL_TTL_SECONDS = 900;

const s3 = () => bucketClient(config().S3_FORCE_PATH_STYLE === 'true');

export async function presignUpload(key: string): Promise<{ uploadUrl: string; expiresAt: string }> {
  const uploadUrl = await getSignedUrl(
    s3(),
    new PutObjectCommand({ Bucket: config().PLUGIN_BUCKET, Key: key }),
    {
      expiresIn: UPLOAD_URL_TTL_SECONDS,
    },
  );
  return { uploadUrl, expiresAt: new Date(Date.now() + UPLOAD_URL_TTL_SECONDS * 1000).toISOString() };
}

// Without s3:ListBucket S3 answers 403 for a missing key; the function is granted it (grant-needs.ts).
const isMissing = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
};

export type UploadRead =
  | { kind: 'missing' }
  | { kind: 'too-large'; sizeBytes: number }
  | { kind: 'read'; bytes: Uint8Array; sha256: string };

/**
 * Reads an upload and its sha256 in one pass, stopping as soon as it exceeds `maxBytes` (the
 * object may have been replaced after a size check), so at most `maxBytes` are held in memory.
 */
export async function readUpload(key: string, maxBytes: number): Promise<UploadRead> {
  let body: AsyncIterable<Uint8Array>;
  try {
    const out = await s3().send(new GetObjectCommand({ Bucket: config().PLUGIN_BUCKET, Key: key }));
    if ((out.ContentLength ?? 0) > maxBytes) {
      (out.Body as { destroy?: () => void } | undefined)?.destroy?.();
      return { kind: 'too-large', sizeBytes: out.ContentLength ?? 0 };
    }
    body = out.Body as AsyncIterable<Uint8Array>;
  } catch (err) {
    if (isMissing(err)) return { kind: 'missing' };
    throw err;
  }
  const hash = createHash('sha256');
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      (body as { destroy?: () => void }).destroy?.();
      return { kind: 'too-large', sizeBytes: size };
    }
    hash.update(chunk);
    chunks.push(chunk);
  }
  return { kind: 'read', bytes: Buffer.concat(chunks, size), sha256: hash.digest('hex') };
}

/** Writes the checked bytes (not a copy of the upload, which may have changed since) to their key. */
export async function storeRelease(key: string, bytes: Uint8Array): Promise<void> {
  await s3().send(
    new PutObjectCommand({
      Bucket: config().PLUGIN_BUCKET,
      Key: key,
      Body: bytes,
      ContentType: 'application/zip',
    }),
  );
}

export async function deleteUpload(key: string): Promise<void> {
  await s3().send(new DeleteObjectCommand({ Bucket: config().PLUGIN_BUCKET, Key: key }));
}
