import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import Deserializer from 'xmlrpc/lib/deserializer.js';
import { serializeMethodResponse } from '../../../../infra/local/simulators/inwx/xml-rpc.js';
import { DomRobotSession } from '../../../../shared/integrations/inwx/domrobot-session.js';
import { XmlRpcEncodeError } from '../../../../shared/integrations/inwx/xml-rpc-request.js';
import { ExternalServiceError } from '../../../../shared/platform/errors.js';

// The session's HTTP transport against a scripted server: what goes out (method, headers, cookies,
// body), and how each kind of answer maps onto ExternalServiceError. The DomRobot behaviour itself
// (sessions, 2FA, result codes, retries) is tested against the simulator in inwx-client.test.ts.

const PASSWORD = 'p4ss-never-in-errors';

interface Seen {
  httpMethod: string;
  headers: IncomingHttpHeaders;
  method: string;
  params: unknown[];
}

type Reply = (call: Seen, res: ServerResponse) => void;

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

function parseCall(body: Buffer): Promise<{ method: string; params: unknown[] }> {
  return new Promise((resolve, reject) => {
    const stream = new PassThrough();
    new Deserializer().deserializeMethodCall(stream, (err, method, params) =>
      err || !method ? reject(err ?? new Error('no methodName')) : resolve({ method, params: params ?? [] }),
    );
    stream.end(body);
  });
}

const ok = (resData: Record<string, unknown> = {}) => serializeMethodResponse({ code: 1000, resData });

/** Answers account.login with a session cookie and everything else by `reply` (default: code 1000). */
async function serve(reply?: Reply, login?: Reply): Promise<{ url: string; calls: Seen[] }> {
  const calls: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const { method, params } = await parseCall(Buffer.concat(chunks));
      const call = { httpMethod: req.method ?? '', headers: req.headers, method, params };
      calls.push(call);
      if (method === 'account.login' && !login) {
        res.writeHead(200, {
          'content-type': 'text/xml',
          'set-cookie': ['domrobot=s1; path=/; HttpOnly', 'lang=en; path=/'],
        });
        res.end(ok());
      } else if (method === 'account.login' && login) login(call, res);
      else if (reply && method !== 'account.logout') reply(call, res);
      else {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(ok());
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/xmlrpc/`, calls };
}

function answer(status: number, body: string, headers: Record<string, string | string[]> = {}): Reply {
  return (_call, res) => {
    res.writeHead(status, { 'content-type': 'text/xml', ...headers });
    res.end(body);
  };
}

const session = (url: string, opts: { timeoutMs?: number; sharedSecret?: string } = {}) =>
  new DomRobotSession({ url, user: 'vrs', pass: PASSWORD, timeoutMs: 2000, ...opts });

async function rejection(p: Promise<unknown>): Promise<ExternalServiceError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ExternalServiceError);
  expect((err as Error).message).not.toContain(PASSWORD);
  return err as ExternalServiceError;
}

describe('DomRobotSession transport', () => {
  it('POSTs text/xml; login without a cookie, then the login cookie on every call, never a later Set-Cookie', async () => {
    const { url, calls } = await serve(
      answer(200, ok({ id: 7 }), { 'set-cookie': 'domrobot=hijacked; path=/' }),
    );
    const s = session(url);

    await expect(
      s.call('nameserver.createRecord', { domain: 'vrs.gmbh', ttl: 300, prio: undefined }),
    ).resolves.toEqual({ code: 1000, resData: { id: 7 } });
    await s.call('nameserver.info', { domain: 'vrs.gmbh' });
    await s.logout();

    expect(calls.map((c) => [c.method, c.headers.cookie])).toEqual([
      ['account.login', undefined],
      ['nameserver.createRecord', 'domrobot=s1; lang=en'],
      ['nameserver.info', 'domrobot=s1; lang=en'],
      ['account.logout', 'domrobot=s1; lang=en'],
    ]);
    for (const c of calls) {
      expect(c.httpMethod).toBe('POST');
      expect(c.headers['content-type']).toBe('text/xml');
    }
    expect(calls[0]?.params).toEqual([{ user: 'vrs', pass: PASSWORD, lang: 'en' }]);
    // Undefined params are not sent at all.
    expect(calls[1]?.params).toEqual([{ domain: 'vrs.gmbh', ttl: 300 }]);
  });

  it('sends account.unlock with the cookie of the login it unlocks', async () => {
    const { url, calls } = await serve(undefined, (_call, res) => {
      res.writeHead(200, { 'content-type': 'text/xml', 'set-cookie': 'domrobot=locked; path=/' });
      res.end(ok({ tfa: 'GOOGLE-AUTH' }));
    });
    await session(url, { sharedSecret: 'JBSWY3DPEHPK3PXP' }).call('domain.check', { domain: 'a.de' });
    expect(calls.map((c) => [c.method, c.headers.cookie])).toEqual([
      ['account.login', undefined],
      ['account.unlock', 'domrobot=locked'],
      ['domain.check', 'domrobot=locked'],
    ]);
    expect(calls[1]?.params).toEqual([{ tan: expect.stringMatching(/^\d{6}$/) }]);
  });

  it('a login response without a cookie is a permanent error', async () => {
    const { url } = await serve(undefined, answer(200, ok()));
    const err = await rejection(session(url).call('domain.check', { domain: 'a.de' }));
    expect(err).toMatchObject({
      transient: false,
      message: 'inwx: account.login: response carried no session cookie',
    });
  });

  it('maps 5xx and 429 to transient errors with the status as code', async () => {
    for (const status of [500, 502, 503, 429]) {
      const { url, calls } = await serve(answer(status, 'busy'));
      const err = await rejection(session(url).call('nameserver.createRecord', { domain: 'vrs.gmbh' }));
      expect(err).toMatchObject({
        transient: true,
        code: status,
        message: `inwx: nameserver.createRecord: HTTP ${status}`,
      });
      // A write is not repeated.
      expect(calls.filter((c) => c.method === 'nameserver.createRecord')).toHaveLength(1);
      await close?.();
      close = undefined;
    }
  });

  it('maps 404, other 4xx and redirects (not followed) to permanent "unusable response" errors', async () => {
    const cases: [number, Record<string, string>, string][] = [
      [404, {}, 'unusable response (HTTP 404): Not Found'],
      [403, {}, 'unusable response (HTTP 403): Forbidden'],
      [400, {}, 'unusable response (HTTP 400): Bad Request'],
      [301, { location: 'https://example.invalid/' }, 'unusable response (HTTP 301): Moved Permanently'],
    ];
    for (const [status, headers, message] of cases) {
      // A valid DomRobot body does not make a non-2xx status a success.
      const { url, calls } = await serve(answer(status, ok(), headers));
      const err = await rejection(session(url).call('domain.check', { domain: 'a.de' }));
      expect(err).toMatchObject({ transient: false, message: `inwx: domain.check: ${message}` });
      expect(err.code).toBeUndefined();
      expect(calls.filter((c) => c.method === 'domain.check')).toHaveLength(1);
      await close?.();
      close = undefined;
    }
  });

  it('maps an XML-RPC fault to a permanent error with its text', async () => {
    const fault =
      '<?xml version="1.0"?><methodResponse><fault><value><struct>' +
      '<member><name>faultCode</name><value><int>-32700</int></value></member>' +
      '<member><name>faultString</name><value><string>parse error</string></value></member>' +
      '</struct></value></fault></methodResponse>';
    const { url } = await serve(answer(200, fault));
    const err = await rejection(session(url).call('domain.check', { domain: 'a.de' }));
    expect(err).toMatchObject({
      transient: false,
      message: 'inwx: domain.check: XML-RPC fault: parse error',
    });
  });

  it('maps a 2xx body that is no XML-RPC response, or no DomRobot result, to permanent errors', async () => {
    let body = '<html><body>maintenance</body></html>';
    const { url } = await serve((_call, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(body);
    });
    const s = session(url);
    const html = await rejection(s.call('domain.check', { domain: 'a.de' }));
    expect(html).toMatchObject({ transient: false });
    expect(html.message).toMatch(/^inwx: domain\.check: unusable response \(HTTP 200\): Unknown XML-RPC tag/);

    body = serializeMethodResponse({ status: 'fine' });
    const shape = await rejection(s.call('domain.check', { domain: 'a.de' }));
    expect(shape).toMatchObject({
      transient: false,
      message: 'inwx: domain.check: response is not a DomRobot result',
    });
  });

  it('maps a refused connection and a connection dropped mid-answer to transient network errors', async () => {
    const { url } = await serve();
    await close?.();
    close = undefined;
    const refused = await rejection(session(url).call('domain.check', { domain: 'a.de' }));
    expect(refused).toMatchObject({ transient: true });
    expect(refused.message).toMatch(/^inwx: account\.login: network error: .*ECONNREFUSED/);

    const dropped = await serve((_call, res) => {
      res.writeHead(200, { 'content-type': 'text/xml', 'content-length': '1000' });
      res.write('<?xml version="1.0"?><methodResponse>');
      setTimeout(() => res.destroy(), 20);
    });
    const err = await rejection(session(dropped.url).call('nameserver.createRecord', { domain: 'vrs.gmbh' }));
    expect(err).toMatchObject({ transient: true });
    expect(err.message).toMatch(/^inwx: nameserver\.createRecord: network error: /);
  });

  it('times out a stalled answer, also one stalled after its headers', async () => {
    const { url } = await serve(() => undefined);
    const started = Date.now();
    const stalled = await rejection(session(url, { timeoutMs: 200 }).call('nameserver.createRecord', {}));
    expect(stalled).toMatchObject({
      transient: true,
      code: 'timeout',
      message: 'inwx: nameserver.createRecord: no answer within 200 ms',
    });
    expect(Date.now() - started).toBeLessThan(1500);
    await close?.();

    const half = await serve((_call, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.write('<?xml version="1.0"?><methodResponse>');
    });
    const err = await rejection(session(half.url, { timeoutMs: 200 }).call('nameserver.createRecord', {}));
    expect(err).toMatchObject({ transient: true, code: 'timeout' });
  });

  it('refuses params XML cannot carry before sending anything, without echoing them', async () => {
    const { url, calls } = await serve();
    const s = session(url);
    await s.call('domain.check', { domain: 'a.de' });
    const err = await s.call('contact.create', { name: 'Erika\u0007Mustermann' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(XmlRpcEncodeError);
    expect((err as Error).message).toBe(
      'XML-RPC: params[0].name has U+0007 at index 5, a character XML 1.0 does not allow',
    );
    expect(calls.map((c) => c.method)).toEqual(['account.login', 'domain.check']);
  });
});
