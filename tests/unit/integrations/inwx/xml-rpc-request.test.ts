import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import Deserializer from 'xmlrpc/lib/deserializer.js';
import { serializeMethodResponse } from '../../../../infra/local/simulators/inwx/xml-rpc.js';
import {
  serializeMethodCall,
  XmlRpcEncodeError,
} from '../../../../shared/integrations/inwx/xml-rpc-request.js';
import { parseMethodResponse } from '../../../../shared/integrations/inwx/xml-rpc-response.js';

// Our methodCall writer against the `xmlrpc` package's serializer, which it replaces in the INWX
// client: the same bytes for what DomRobot calls look like, the same values after parsing for the rest.

const require = createRequire(import.meta.url);
const xmlrpcSerializer = require('xmlrpc/lib/serializer.js') as {
  serializeMethodCall(method: string, params: unknown[]): string;
};

function parseCall(xml: string): Promise<{ method: string; params: unknown[] }> {
  return new Promise((resolve, reject) => {
    const stream = new PassThrough();
    new Deserializer().deserializeMethodCall(stream, (err, method, params) => {
      if (err || !method) reject(err ?? new Error('no methodName'));
      else resolve({ method, params: params ?? [] });
    });
    stream.end(Buffer.from(xml, 'utf8'));
  });
}

function refusal(fn: () => unknown): XmlRpcEncodeError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(XmlRpcEncodeError);
    expect(err).toBeInstanceOf(TypeError);
    return err as XmlRpcEncodeError;
  }
  throw new Error('expected the value to be refused');
}

/** The calls InwxClient and DomRobotSession make, with the types they send. */
const DOMROBOT_CALLS: [string, Record<string, unknown>][] = [
  ['account.login', { user: 'vrs-marketplace', pass: 'S3cr3t>pass', lang: 'en' }],
  ['account.unlock', { tan: '012345' }],
  ['account.logout', {}],
  [
    'nameserver.createRecord',
    { domain: 'vrs.gmbh', name: 'mueller.vrs.gmbh', type: 'A', content: '203.0.113.7', ttl: 300, prio: 0 },
  ],
  ['nameserver.createRecord', { domain: 'vrs.gmbh', name: 'vrs.gmbh', type: 'TXT', content: '', ttl: 3600 }],
  ['nameserver.info', { domain: 'vrs.gmbh', name: 'www.mueller.vrs.gmbh', type: 'CNAME' }],
  ['nameserver.updateRecord', { id: 2147483647, content: '192.0.2.2', ttl: 600 }],
  ['nameserver.deleteRecord', { id: 123456 }],
  ['nameserver.create', { domain: 'mueller-bau.de', type: 'MASTER', ns: ['ns.inwx.de', 'ns2.inwx.de'] }],
  ['nameserver.list', { domain: 'mueller-bau.de', pagelimit: 100 }],
  ['domain.check', { domain: 'xn--mller-kva.de' }],
  ['domain.info', { domain: 'mueller-bau.de', wide: 1 }],
  ['domain.list', { status: ['OK', 'TRANSFER PENDING'], page: 2, pagelimit: 20, wide: 1 }],
  ['domain.list', { status: [], page: 1, pagelimit: 100, wide: 1 }],
  [
    'contact.create',
    {
      type: 'PERSON',
      name: 'Erika Mustermann',
      street: 'Heidestraße 17',
      city: 'Köln',
      pc: '51147',
      cc: 'DE',
      voice: '+49.301234567',
      email: 'erika@example.de',
      extData: { 'PARSE-VOICE': true },
    },
  ],
  ['contact.list', { search: 'erika@example.de', page: 1, pagelimit: 100 }],
  [
    'domain.create',
    {
      domain: 'mueller-bau.de',
      period: '1Y',
      registrant: 41,
      admin: 41,
      tech: 41,
      billing: 41,
      ns: ['ns.inwx.de'],
      renewalMode: 'AUTOEXPIRE',
    },
  ],
  ['domain.transfer', { domain: 'taken-shop.de', authCode: 'A1b2-C3d4"\'/', registrant: 41 }],
  ['accounting.log', { priceMin: 0.5, priceMax: 12.95, amount: -3.2 }],
  ['example.nested', { deep: { list: [[1, 2], [], {}], none: null, off: false, big: 3_000_000_000 } }],
];

describe('serializeMethodCall', () => {
  it.each(DOMROBOT_CALLS)('writes %s exactly as the xmlrpc package did', (method, params) => {
    expect(serializeMethodCall(method, [params])).toBe(
      xmlrpcSerializer.serializeMethodCall(method, [params]),
    );
  });

  it('writes a call without params, and several params, as xmlrpc did', () => {
    expect(serializeMethodCall('system.listMethods', [])).toBe(
      xmlrpcSerializer.serializeMethodCall('system.listMethods', []),
    );
    const params = ['a', 1, 1.5, true, null, ['x'], { k: 'v' }];
    expect(serializeMethodCall('m', params)).toBe(xmlrpcSerializer.serializeMethodCall('m', params));
  });

  it('spells out its format', () => {
    expect(serializeMethodCall('domain.check', [{ domain: 'a.de', wide: 1, ok: true, ns: [] }])).toBe(
      '<?xml version="1.0"?><methodCall><methodName>domain.check</methodName><params><param><value><struct>' +
        '<member><name>domain</name><value><string>a.de</string></value></member>' +
        '<member><name>wide</name><value><int>1</int></value></member>' +
        '<member><name>ok</name><value><boolean>1</boolean></value></member>' +
        '<member><name>ns</name><value><array><data/></array></value></member>' +
        '</struct></value></param></params></methodCall>',
    );
  });

  it('leaves out undefined struct members at every depth (xmlrpc wrote empty strings)', async () => {
    const xml = serializeMethodCall('domain.transfer', [
      { domain: 'a.de', registrant: undefined, extData: { X: undefined, Y: 'y' } },
    ]);
    expect(xml).not.toContain('registrant');
    expect(xml).not.toContain('<name>X</name>');
    await expect(parseCall(xml)).resolves.toEqual({
      method: 'domain.transfer',
      params: [{ domain: 'a.de', extData: { Y: 'y' } }],
    });
  });

  it('escapes markup, keeps CR, tabs and non-ASCII text, and reads back the same values', async () => {
    const texts = [
      'a & b < c > d',
      '<![CDATA[x]]> and ]]> twice ]]>',
      '&amp; stays literal',
      'line\r\nbreaks\rand\ttabs\n',
      'Müller 🏠 ÄÖÜß € 中文',
      '"double" \'single\'',
      'v=spf1 include:_spf.example.de ~all',
      ' leading and trailing spaces ',
    ];
    const params = [{ texts, 'key & <name>': 'v' }];
    const xml = serializeMethodCall('m&<x>', params);
    await expect(parseCall(xml)).resolves.toEqual({ method: 'm&<x>', params });
    // xmlrpc put text with `<` or `&` in CDATA: the same values for ordinary text ...
    const ordinary = texts.filter((t) => !t.includes(']]>'));
    await expect(parseCall(xmlrpcSerializer.serializeMethodCall('m', [ordinary]))).resolves.toEqual({
      method: 'm',
      params: [ordinary],
    });
    // ... but it garbled a second `]]>` there, which escaping keeps.
    const garbled = await parseCall(xmlrpcSerializer.serializeMethodCall('m', [texts[1]]));
    expect(garbled.params).toEqual(['<![CDATA[x]]> and  twice ]]>]]>']);
  });

  it('reads back numbers, booleans, null, arrays and structs with their types', async () => {
    const params = [
      {
        ints: [0, -1, 42, 2147483647, -2147483648, 3_000_000_000, Number.MAX_SAFE_INTEGER],
        doubles: [5.95, -0.5, 0.1 + 0.2, 1e-7],
        flags: [true, false],
        nothing: null,
        nested: [{ a: [{ b: 'c' }] }, []],
        empty: {},
      },
    ];
    await expect(parseCall(serializeMethodCall('m', params))).resolves.toEqual({ method: 'm', params });
  });

  it('writes -0 as 0 and whole doubles (3.0) as <int>, as xmlrpc did', () => {
    expect(serializeMethodCall('m', [-0, 3.0])).toBe(xmlrpcSerializer.serializeMethodCall('m', [-0, 3.0]));
    expect(serializeMethodCall('m', [-0])).toContain('<int>0</int>');
  });

  it('writes dates as dateTime.iso8601 in UTC, the form xmlrpc wrote on Lambda (TZ=UTC)', async () => {
    const date = new Date(Date.UTC(2027, 0, 2, 3, 4, 5, 678));
    const xml = serializeMethodCall('m', [date]);
    expect(xml).toContain('<value><dateTime.iso8601>20270102T03:04:05</dateTime.iso8601></value>');
    if (date.getTimezoneOffset() === 0) expect(xml).toBe(xmlrpcSerializer.serializeMethodCall('m', [date]));
    const { params } = await parseCall(xml);
    expect(params[0]).toBeInstanceOf(Date);
  });

  it('writes byte arrays as base64, as xmlrpc wrote Buffers', () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    expect(serializeMethodCall('m', [bytes])).toBe(xmlrpcSerializer.serializeMethodCall('m', [bytes]));
    expect(serializeMethodCall('m', [new Uint8Array([104, 105])])).toContain('<base64>aGk=</base64>');
  });

  it('refuses characters XML 1.0 forbids, naming the place but never the value', () => {
    const secret = 'pa\u0001ss-word';
    const err = refusal(() => serializeMethodCall('account.login', [{ user: 'u', pass: secret }]));
    expect(err.message).toBe(
      'XML-RPC: params[0].pass has U+0001 at index 2, a character XML 1.0 does not allow',
    );
    expect(err.message).not.toContain('word');
    for (const bad of ['\u0000', '\u0008', '\u000B', '\u000C', '\u001F', '\uFFFE', '\uFFFF'])
      refusal(() => serializeMethodCall('m', [{ list: [`x${bad}`] }]));
    expect(refusal(() => serializeMethodCall('m', [{ 'a\u0002': 1 }])).message).toContain('member name');
    expect(refusal(() => serializeMethodCall('m\u0003', [])).message).toContain('methodName');
  });

  it('refuses lone surrogates but writes surrogate pairs', () => {
    expect(refusal(() => serializeMethodCall('m', ['a\uD83D'])).message).toContain('U+D83D at index 1');
    expect(refusal(() => serializeMethodCall('m', ['\uDE00b'])).message).toContain('U+DE00 at index 0');
    expect(serializeMethodCall('m', ['\uD83D\uDE00'])).toContain('<string>😀</string>');
  });

  it('refuses what XML-RPC cannot carry', () => {
    const cases: [unknown, string][] = [
      [Number.NaN, 'params[0].v is NaN'],
      [Number.POSITIVE_INFINITY, 'params[0].v is Infinity'],
      [2 ** 53, 'params[0].v is an integer beyond 2^53'],
      [10n, 'params[0].v is bigint'],
      [() => 1, 'params[0].v is function'],
      [Symbol('s'), 'params[0].v is symbol'],
      [['a', undefined], 'params[0].v[1] is undefined'],
      [new Map(), 'params[0].v is a Map instance'],
      [new Date(Number.NaN), 'params[0].v is an invalid Date'],
    ];
    for (const [v, message] of cases)
      expect(refusal(() => serializeMethodCall('m', [{ v }])).message, message).toContain(message);
    expect(refusal(() => serializeMethodCall('m', [undefined])).message).toContain('params[0] is undefined');
    expect(refusal(() => serializeMethodCall('', [])).message).toContain('methodName is empty');
  });

  it('refuses a value that contains itself, but not the same value twice', () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = { back: loop };
    expect(refusal(() => serializeMethodCall('m', [loop])).message).toContain('params[0].self.back');
    const shared = { x: 1 };
    expect(serializeMethodCall('m', [{ a: shared, b: [shared] }])).toBe(
      xmlrpcSerializer.serializeMethodCall('m', [{ a: shared, b: [shared] }]),
    );
  });

  it('takes objects without a prototype as structs', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: 'b' });
    expect(serializeMethodCall('m', [bare])).toBe(xmlrpcSerializer.serializeMethodCall('m', [{ a: 'b' }]));
  });
});

describe('parseMethodResponse', () => {
  const bytes = (s: string) => new TextEncoder().encode(s);

  it('reads a DomRobot result', async () => {
    const body = serializeMethodResponse({ code: 1000, msg: 'ok', resData: { id: 7, ns: ['a', 'b'] } });
    await expect(parseMethodResponse(bytes(body))).resolves.toEqual({
      code: 1000,
      msg: 'ok',
      resData: { id: 7, ns: ['a', 'b'] },
    });
  });

  it('reads multi-byte UTF-8 even when split across chunks', async () => {
    const body = serializeMethodResponse({ code: 1000, msg: 'Köln 🏠'.repeat(5000) });
    await expect(parseMethodResponse(bytes(body))).resolves.toEqual({
      code: 1000,
      msg: 'Köln 🏠'.repeat(5000),
    });
  });

  it('rejects a fault with its faultCode and faultString', async () => {
    const fault =
      '<?xml version="1.0"?><methodResponse><fault><value><struct>' +
      '<member><name>faultCode</name><value><int>4</int></value></member>' +
      '<member><name>faultString</name><value><string>Too many params</string></value></member>' +
      '</struct></value></fault></methodResponse>';
    await expect(parseMethodResponse(bytes(fault))).rejects.toMatchObject({
      message: 'XML-RPC fault: Too many params',
      faultCode: 4,
      faultString: 'Too many params',
    });
  });

  it('rejects what is not an XML-RPC response', async () => {
    await expect(parseMethodResponse(bytes('<html><body>Bad gateway</body></html>'))).rejects.toThrow(
      /Unknown XML-RPC tag/,
    );
    await expect(parseMethodResponse(bytes(''))).rejects.toThrow('Invalid XML-RPC message');
    await expect(parseMethodResponse(bytes(serializeMethodCall('m', [])))).rejects.toThrow(
      'Not a method response',
    );
  });
});
