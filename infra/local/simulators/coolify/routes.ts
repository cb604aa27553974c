import { json, type SimRequest, type SimResponse } from '../types.js';
import type { SimApplication } from './model.js';
import type { CoolifyStore } from './store.js';
import type { Body } from './validation.js';

// The route table shape each resource module contributes to, and matching a path against it.

export type PathParams = Record<string, string>;
export type Handler = (p: PathParams, req: SimRequest, body: Body) => SimResponse;
export type Route = [method: string, pattern: string, handler: Handler];

/** The first route whose method and `{name}` pattern fit the request, with its path parameters. */
export function findRoute(
  routes: Route[],
  method: string,
  path: string,
): { pattern: string; handler: Handler; params: PathParams } | undefined {
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

/** Runs `fn` with the application named by the `{uuid}` path parameter, or answers Coolify's 404. */
export function withApp(
  store: CoolifyStore,
  p: PathParams,
  fn: (app: SimApplication) => SimResponse,
): SimResponse {
  const app = store.findApp(p.uuid!);
  if (!app) return json(404, { message: 'Application not found.' });
  return fn(app);
}
