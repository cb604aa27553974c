import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, toSimRequest } from '../../gateway/request-body.js';
import type { Simulator } from '../types.js';

// The Stripe simulator at the root of its own loopback port, for the Stripe SDK: the SDK takes
// host, port and protocol but no path prefix, so it cannot reach /sim/stripe/v1 on the main
// server. Functions get this origin as `apiBaseUrl` in their Stripe secret (local-stack.ts).

export interface StripeApiServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  url: string;
  close(): Promise<void>;
}

export async function serveStripeApi(sim: Simulator, port = 0): Promise<StripeApiServer> {
  const server = createServer(async (req, res) => {
    const abort = new AbortController();
    // The client hung up (its timeout elapsed): let a stalling `timeout` fault stop.
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    try {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const out = body === null ? { status: 413 } : await sim(toSimRequest(req, url, body), abort.signal);
      if (res.destroyed) return;
      res.writeHead(out.status, out.headers);
      res.end(out.body);
    } catch (err) {
      if (res.destroyed) return;
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { type: 'api_error', message: (err as Error).message } }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
