import { PassThrough } from 'node:stream';
import Deserializer from 'xmlrpc/lib/deserializer.js';

// The response side of XML-RPC: the `xmlrpc` package's parser (on sax), without its client, server
// and serializer (docs/decisions/0009-own-xml-rpc-requests.md).

/**
 * The value of a methodResponse. Rejects with the parser's error for anything else, and for a
 * fault with an Error carrying `faultCode` and `faultString` (message `XML-RPC fault: …`).
 */
export function parseMethodResponse(body: Uint8Array): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const stream = new PassThrough();
    new Deserializer().deserializeMethodResponse(stream, (err, value) => {
      if (err) reject(err);
      else resolve(value);
    });
    stream.end(body);
  });
}
