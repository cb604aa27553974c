import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Loads the real Lambda handler modules from functions/ (the local runtime calls them in-process).

export const REPO_ROOT = resolve(fileURLToPath(import.meta.url), '../../../../..');

type Handler = (event: unknown, context?: unknown) => Promise<unknown>;
const cache = new Map<string, Promise<Handler>>();

/** `entry` is relative to functions/, without extension, e.g. `api/get-project`. */
export function loadHandler(entry: string): Promise<Handler> {
  let pending = cache.get(entry);
  if (!pending) {
    const url = pathToFileURL(resolve(REPO_ROOT, 'functions', `${entry}.ts`)).href;
    pending = import(url).then((mod: { handler?: Handler }) => {
      if (typeof mod.handler !== 'function') throw new Error(`functions/${entry}.ts exports no handler`);
      return mod.handler;
    });
    cache.set(entry, pending);
  }
  return pending;
}
