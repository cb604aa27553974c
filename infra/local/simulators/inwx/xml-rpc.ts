import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';

// The XML-RPC codec of the `xmlrpc` package: an independent implementation of the protocol, so a
// request our own writer (shared/integrations/inwx/xml-rpc-request.ts) gets wrong fails here as it
// would at INWX. Its serializer and deserializer are CommonJS internals without type declarations.

const require = createRequire(import.meta.url);
const serializer = require('xmlrpc/lib/serializer.js') as { serializeMethodResponse(value: unknown): string };
const Deserializer = require('xmlrpc/lib/deserializer.js') as new () => {
  deserializeMethodCall(
    stream: NodeJS.ReadableStream,
    callback: (err: Error | null | undefined, method?: string, params?: unknown[]) => void,
  ): void;
};

export function parseMethodCall(body: Buffer): Promise<{ method: string; params: unknown[] }> {
  return new Promise((resolve, reject) => {
    const stream = new PassThrough();
    new Deserializer().deserializeMethodCall(stream, (err, method, params) => {
      if (err || !method) reject(err ?? new Error('no methodName'));
      else resolve({ method, params: params ?? [] });
    });
    stream.end(body);
  });
}

export function serializeMethodResponse(value: unknown): string {
  return serializer.serializeMethodResponse(value);
}
