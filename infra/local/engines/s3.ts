import { mkdirSync } from 'node:fs';
import S3rver from 's3rver';

// s3rver as the local S3: presigned GETs work and expire (it does not check signatures).

export interface LocalS3 {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startS3(opts: { directory: string; bucket: string }): Promise<LocalS3> {
  mkdirSync(opts.directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: opts.directory,
    vhostBuckets: false,
    configureBuckets: [{ name: opts.bucket }],
  });
  const address = await server.run();
  return { endpoint: `http://127.0.0.1:${address.port}`, stop: () => server.close() };
}
