// The request side of XML-RPC (a methodCall document) for the INWX DomRobot API. Our own instead of
// the `xmlrpc` package's serializer, which needs xmlbuilder (≈ 40 KB of every INWX bundle, see
// docs/decisions/0009-own-xml-rpc-requests.md). The output matches that serializer's types and
// layout, so INWX sees the same requests: integers as <int>, other numbers as <double>, null as
// <nil/>, dates as <dateTime.iso8601> (UTC, the form xmlrpc wrote on Lambda), byte arrays as <base64>.
// Differences, on purpose: text is always escaped (xmlrpc put text with `<` or `&` in CDATA),
// `undefined` struct members are left out at every depth (xmlrpc wrote empty values), and what
// XML-RPC cannot carry is refused with the parameter's path, never its value (which may be a
// password or an auth code).

/** A value the request cannot carry (the message names its path, e.g. `params[0].ns[1]`). */
export class XmlRpcEncodeError extends TypeError {
  override readonly name = 'XmlRpcEncodeError';
}

/**
 * Characters XML 1.0 does not allow (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF) and
 * UTF-16 surrogates without their other half, which no encoding can carry.
 */
const FORBIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding the controls XML forbids is the point.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The XML document of a call of `method` with `params` (DomRobot takes one struct). */
export function serializeMethodCall(method: string, params: readonly unknown[]): string {
  const name = text(method, 'methodName');
  if (name === '') throw new XmlRpcEncodeError('XML-RPC: the methodName is empty');
  const body = params.map((p, i) => `<param>${value(p, `params[${i}]`, new Set())}</param>`).join('');
  return `<?xml version="1.0"?><methodCall><methodName>${name}</methodName>${element('params', body)}</methodCall>`;
}

function value(v: unknown, path: string, parents: Set<object>): string {
  return `<value>${typed(v, path, parents)}</value>`;
}

function typed(v: unknown, path: string, parents: Set<object>): string {
  switch (typeof v) {
    case 'string':
      return element('string', text(v, path));
    case 'boolean':
      return `<boolean>${v ? 1 : 0}</boolean>`;
    case 'number':
      return number(v, path);
    case 'object':
      if (v === null) return '<nil/>';
      if (v instanceof Date) return dateTime(v, path);
      if (v instanceof Uint8Array) return element('base64', Buffer.from(v).toString('base64'));
      return compound(v, path, parents);
    default:
      throw new XmlRpcEncodeError(`XML-RPC: ${path} is ${typeof v}, which XML-RPC cannot carry`);
  }
}

/**
 * Whole numbers as <int>, as the xmlrpc package sent them, also beyond 32 bits (as INWX's PHP
 * client does; DomRobot documents its ids as int). Only numbers that print without an exponent.
 */
function number(n: number, path: string): string {
  if (!Number.isFinite(n)) throw new XmlRpcEncodeError(`XML-RPC: ${path} is ${n}, not a number XML-RPC has`);
  if (Number.isInteger(n)) {
    if (!Number.isSafeInteger(n)) throw new XmlRpcEncodeError(`XML-RPC: ${path} is an integer beyond 2^53`);
    return `<int>${Object.is(n, -0) ? 0 : n}</int>`;
  }
  return `<double>${n}</double>`;
}

/** `20270101T12:00:00`: xmlrpc's form (no zone, whole seconds), in UTC as on Lambda. */
function dateTime(d: Date, path: string): string {
  if (Number.isNaN(d.getTime())) throw new XmlRpcEncodeError(`XML-RPC: ${path} is an invalid Date`);
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `<dateTime.iso8601>${day}T${time}</dateTime.iso8601>`;
}

function compound(v: object, path: string, parents: Set<object>): string {
  if (parents.has(v)) throw new XmlRpcEncodeError(`XML-RPC: ${path} refers to itself`);
  parents.add(v);
  let xml: string;
  if (Array.isArray(v)) {
    xml = `<array>${element(
      'data',
      v
        .map((item: unknown, i) => {
          if (item === undefined) throw new XmlRpcEncodeError(`XML-RPC: ${path}[${i}] is undefined`);
          return value(item, `${path}[${i}]`, parents);
        })
        .join(''),
    )}</array>`;
  } else {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null)
      throw new XmlRpcEncodeError(
        `XML-RPC: ${path} is a ${v.constructor?.name ?? 'class'} instance, not a plain object`,
      );
    const members = Object.entries(v)
      .filter(([, m]) => m !== undefined)
      .map(
        ([key, m]) =>
          `<member>${element('name', text(key, `${path} member name`))}${value(m, `${path}.${key}`, parents)}</member>`,
      );
    xml = element('struct', members.join(''));
  }
  parents.delete(v);
  return xml;
}

/** `<tag>inner</tag>`, or `<tag/>` when empty (as xmlbuilder writes it). */
function element(tag: string, inner: string): string {
  return inner === '' ? `<${tag}/>` : `<${tag}>${inner}</${tag}>`;
}

/** Escaped character data; CR as a reference, so XML's line-end handling keeps it. */
function text(s: string, path: string): string {
  const bad = FORBIDDEN.exec(s);
  if (bad) {
    const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw new XmlRpcEncodeError(
      `XML-RPC: ${path} has U+${code} at index ${bad.index}, a character XML 1.0 does not allow`,
    );
  }
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
}
