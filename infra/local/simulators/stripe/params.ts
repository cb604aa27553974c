import { invalidParam, missingParam } from './errors.js';
import type { Param, Params } from './form.js';
import type { Metadata } from './model.js';

// Reading typed values out of form parameters, with Stripe's messages for wrong ones. `name` is
// the parameter's full name as Stripe reports it (`line_items[0][quantity]`).

export function optString(p: Params, key: string, name = key): string | undefined {
  const v = p[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw invalidParam(name, `Invalid string: ${JSON.stringify(v)}`);
  return v;
}

export function reqString(p: Params, key: string, name = key): string {
  const v = optString(p, key, name);
  if (v === undefined || v === '') throw missingParam(name);
  return v;
}

export function optInt(
  p: Params,
  key: string,
  name = key,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  const v = optString(p, key, name);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw invalidParam(name, `Invalid integer: ${v}`, 'parameter_invalid_integer');
  const n = Number(v);
  if (n < min)
    throw invalidParam(
      name,
      `This value must be greater than or equal to ${min}.`,
      'parameter_invalid_integer',
    );
  if (n > max)
    throw invalidParam(name, `This value must be less than or equal to ${max}.`, 'parameter_invalid_integer');
  return n;
}

export function optObject(p: Params, key: string, name = key): Params | undefined {
  const v = p[key];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'object' || Array.isArray(v))
    throw invalidParam(name, `Invalid object`, 'parameter_invalid_object');
  return v;
}

export function optArray(p: Params, key: string, name = key): Param[] | undefined {
  const v = p[key];
  if (v === undefined || v === '') return undefined;
  if (!Array.isArray(v)) throw invalidParam(name, `Invalid array`, 'parameter_invalid_array');
  return v;
}

export function optStringArray(p: Params, key: string, name = key): string[] | undefined {
  const items = optArray(p, key, name);
  return items?.map((v, i) => {
    if (typeof v !== 'string') throw invalidParam(`${name}[${i}]`, `Invalid string: ${JSON.stringify(v)}`);
    return v;
  });
}

/** Stripe's limits: 50 keys, keys up to 40 characters, values up to 500. An empty value unsets a key. */
export function metadataParam(p: Params, key = 'metadata', name = key, base: Metadata = {}): Metadata {
  const m = optObject(p, key, name);
  const out: Metadata = { ...base };
  for (const [k, v] of Object.entries(m ?? {})) {
    if (typeof v !== 'string') throw invalidParam(`${name}[${k}]`, `Invalid string: ${JSON.stringify(v)}`);
    if (k.length > 40) throw invalidParam(name, `Metadata keys can be at most 40 characters long (${k}).`);
    if (v.length > 500)
      throw invalidParam(`${name}[${k}]`, 'Metadata values can be at most 500 characters long.');
    if (v === '') delete out[k];
    else out[k] = v;
  }
  if (Object.keys(out).length > 50) throw invalidParam(name, 'Metadata can have at most 50 keys.');
  return out;
}

/** The list given as `expand[]`, checked against what this object can expand. */
export function expandParam(p: Params, allowed: readonly string[]): Set<string> {
  const list = optStringArray(p, 'expand') ?? [];
  for (const field of list) {
    if (!allowed.includes(field))
      throw invalidParam('expand', `This property cannot be expanded (${field}).`);
  }
  return new Set(list);
}
