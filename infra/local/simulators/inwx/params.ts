import { DomRobotFailure, type Params } from './domrobot.js';
import { normalise } from './names.js';

// Reading method parameters the way DomRobot checks them: a missing one is 2003, a malformed one 2005.

export function isRecord(v: unknown): v is Params {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(p: Params, key: string): string {
  const v = optStr(p, key);
  if (v === undefined || v === '') throw new DomRobotFailure(2003, `Parameter ${key} missing`);
  return v;
}

export function optStr(p: Params, key: string): string | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw new DomRobotFailure(2005, `Parameter ${key} must be a string`);
}

export function optInt(p: Params, key: string): number | undefined {
  const v = p[key];
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new DomRobotFailure(2005, `Parameter ${key} must be an integer`);
  return n;
}

/** `id` as one record id or a list of them. */
export function idList(p: Params): number[] {
  const raw = Array.isArray(p.id) ? p.id : p.id === undefined ? [] : [p.id];
  if (raw.length === 0) throw new DomRobotFailure(2003, 'Parameter id missing');
  return raw.map((v) => {
    const n = Number(v);
    if (!Number.isInteger(n)) throw new DomRobotFailure(2005, 'Parameter id must be an integer');
    return n;
  });
}

/** One name or a list of them, normalised; non-strings are dropped. */
export function stringList(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  const list = Array.isArray(v) ? v : [v];
  return list.filter((x): x is string => typeof x === 'string').map(normalise);
}
