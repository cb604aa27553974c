import type { SimRequest, SimResponse } from '../types.js';
import type { Params } from './form.js';
import type { SimEvent, SimObject } from './model.js';
import type { StripeStore } from './store.js';

// The route table each resource module contributes to, what its handlers get, and matching a path
// against it. Handlers throw StripeSimError for Stripe's error answers.

/** The API request being answered (events it causes name it). */
export interface RequestInfo {
  id: string | null;
  idempotencyKey: string | null;
}

export interface SimContext {
  store: StripeStore;
  /** Where the simulator is mounted on the main server (for Checkout URLs). */
  publicUrl: () => string;
  /** Records an event (a snapshot of `object`) and hands it to the webhook sender. */
  emit(
    type: string,
    object: SimObject,
    opts?: { previous?: Record<string, unknown>; request?: RequestInfo },
  ): SimEvent;
}

export type PathParams = Record<string, string>;
export type Handler = (p: PathParams, params: Params, req: RequestInfo) => SimResponse;
export type Route = [method: string, pattern: string, handler: Handler];

/** The simulator's own pages and helpers (outside /v1): no key, body as JSON or a form. */
export type LocalHandler = (p: PathParams, body: Params, req: SimRequest) => SimResponse;
export type LocalRoute = [method: string, pattern: string, handler: LocalHandler];

/** The first route whose method and `{name}` pattern fit the request, with its path parameters. */
export function findRoute<H>(
  routes: [string, string, H][],
  method: string,
  path: string,
): { pattern: string; handler: H; params: PathParams } | undefined {
  for (const [m, pattern, handler] of routes) {
    if (m !== method) continue;
    const params = matchPath(pattern, path);
    if (params) return { pattern, handler, params };
  }
  return undefined;
}

function matchPath(pattern: string, path: string): PathParams | undefined {
  const pSegs = pattern.split('/').filter(Boolean);
  const aSegs = path.split('/').filter(Boolean);
  if (pSegs.length !== aSegs.length) return undefined;
  const params: PathParams = {};
  for (const [i, seg] of pSegs.entries()) {
    const actual = aSegs[i]!;
    const name = /^\{(.+)\}$/.exec(seg)?.[1];
    if (name) params[name] = decodeURIComponent(actual);
    else if (seg !== actual) return undefined;
  }
  return params;
}
