import type { IncomingHttpHeaders } from 'node:http';

/** A request as the local HTTP server hands it to a simulator (path is relative to the simulator's root). */
export interface SimRequest {
  method: string;
  /** Path below the simulator's mount point, starting with '/', without query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** `signal` aborts when the client disconnects (used by `timeout` faults to stall until then). */
export type Simulator = (req: SimRequest, signal: AbortSignal) => Promise<SimResponse>;

export function json(status: number, value: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

/** Resolves after `ms` or when the signal aborts, whichever is first. */
export function stall(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}
