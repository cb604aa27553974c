import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

// How the local engines keep their state between runs: one JSON file each in the data dir.

/** The file's content, or undefined when there is no file yet. A corrupt file is an error naming it. */
export function readJsonFile<T>(path: string | undefined, what: string): T | undefined {
  if (!path || !existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (err) {
    throw new Error(`${what}: cannot read ${path} (${(err as Error).message}); delete it to start afresh`);
  }
}

/** Writes via a temporary file and a rename, so a crash never leaves half a file behind. */
export function writeJsonFile(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 2));
  renameSync(tmp, path);
}
