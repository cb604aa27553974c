import type { IncomingMessage } from 'node:http';
import type { SimRequest } from '../simulators/types.js';

// Reading requests on the local servers (API Gateway stand-in, AWS endpoint, test servers).

export const MAX_BODY_BYTES = 1024 * 1024;

/** The whole body, or null when it is larger than `maxBytes` (the caller answers 413). */
export function readBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= maxBytes) chunks.push(c);
    });
    req.on('end', () => resolve(size > maxBytes ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The request as a simulator sees it, its path relative to the simulator's mount point. */
export function toSimRequest(req: IncomingMessage, url: URL, body: Buffer, mount = ''): SimRequest {
  return {
    method: req.method ?? 'GET',
    path: url.pathname.slice(mount.length) || '/',
    query: url.searchParams,
    headers: req.headers,
    body,
  };
}
