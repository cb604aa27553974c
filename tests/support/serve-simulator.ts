import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, toSimRequest } from '../../infra/local/gateway/request-body.js';
import type { Simulator } from '../../infra/local/simulators/types.js';

/** Serves one simulator at the root of a fresh http server on 127.0.0.1 (random port), for client tests. */
export async function serveSimulator(sim: Simulator): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(async (req, res) => {
    const abort = new AbortController();
    // The client hung up before we answered (e.g. its timeout elapsed): let stalling simulators stop.
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
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(err instanceof Error ? err.message : String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
