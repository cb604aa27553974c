import { S3Client } from '@aws-sdk/client-s3';
import { awsClientOptions } from '../../platform/aws-client-options.js';

// The S3 client of the plugin bucket's modules (downloads, releases): one per instance. Checksums
// only where S3 requires them, else streamed uploads through an S3-compatible server are corrupted.

let client: S3Client | undefined;

export function bucketClient(forcePathStyle: boolean): S3Client {
  client ??= new S3Client({
    ...awsClientOptions,
    forcePathStyle,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  return client;
}
