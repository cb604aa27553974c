import type { SimRequest } from '../types.js';

// Stripe's v1 API takes form-encoded parameters with nested keys, as the SDK writes them:
// `line_items[0][price_data][product_data][name]=Basic&metadata[projectId]=p1&expand[]=x`.
// This turns them (query string and body alike) back into nested objects and arrays of strings.

export type Param = string | Param[] | { [key: string]: Param };
export type Params = { [key: string]: Param };

export function parseForm(text: string): Params {
  const root: Node = {};
  for (const [key, value] of new URLSearchParams(text)) assign(root, keyPath(key), value);
  return arrays(root) as Params;
}

/** `a[b][0][c]` → ['a', 'b', '0', 'c']; `a[]` → ['a', ''] (append). */
function keyPath(key: string): string[] {
  const first = key.indexOf('[');
  if (first <= 0) return [key];
  const path = [key.slice(0, first)];
  for (const m of key.slice(first).matchAll(/\[([^\]]*)\]/g)) path.push(m[1]!);
  return path;
}

type Node = { [key: string]: Node | string };

function assign(node: Node, path: string[], value: string): void {
  let at = node;
  for (const [i, raw] of path.entries()) {
    const last = i === path.length - 1;
    // `[]` appends: give it the next free index.
    const key = raw === '' ? String(Object.keys(at).length) : raw;
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') return;
    if (last) {
      at[key] = value;
      return;
    }
    const next = at[key];
    if (typeof next !== 'object') at[key] = {};
    at = at[key] as Node;
  }
}

/** Objects whose keys are exactly 0..n-1 become arrays. */
function arrays(node: Node | string): Param {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  const converted = Object.fromEntries(keys.map((k) => [k, arrays(node[k]!)]));
  const isArray = keys.length > 0 && keys.every((k, i) => k === String(i));
  return isArray ? keys.map((k) => converted[k]!) : converted;
}

/** The helpers take JSON (`{ "paymentStatus": "unpaid" }`), a form (the Checkout page) or nothing. */
export function localBody(req: SimRequest): Params | undefined {
  const text = req.body.toString('utf8').trim();
  if (!text) return {};
  // JSON whatever the content type says: `curl -d '{…}'` labels it a form.
  if (!text.startsWith('{') && isForm(req)) return parseForm(text);
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    return Object.fromEntries(
      Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    );
  } catch {
    return undefined;
  }
}

/** A form post, as the Checkout page's buttons send (not JSON sent with curl's default type). */
export function isForm(req: SimRequest): boolean {
  const type = req.headers['content-type'] ?? '';
  return (
    type.startsWith('application/x-www-form-urlencoded') && !req.body.toString('utf8').trim().startsWith('{')
  );
}
