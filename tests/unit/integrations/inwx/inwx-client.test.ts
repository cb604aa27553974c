import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import xmlrpc from 'xmlrpc';
import { FaultRegistry } from '../../../../infra/local/simulators/faults.js';
import { serializeMethodResponse } from '../../../../infra/local/simulators/inwx/xml-rpc.js';
import {
  createInwxSimulator,
  type InwxSimulator,
  type InwxSimulatorOptions,
} from '../../../../infra/local/simulators/inwx.js';
import {
  InwxClient,
  type InwxClientOptions,
  type InwxContactInput,
} from '../../../../shared/integrations/inwx/inwx-client.js';
import { ExternalServiceError } from '../../../../shared/platform/errors.js';
import { serveSimulator } from '../../../support/serve-simulator.js';

const PASSWORD = 'p4ss-never-in-errors';

let faults: FaultRegistry;
let sim: InwxSimulator;
let server: { url: string; close(): Promise<void> };
let client: InwxClient;

/** Orders complete this long after they were placed (short, to keep the tests fast). */
// Long enough that an order is still pending through a few calls on a loaded 2-CPU machine.
const ORDER_SECONDS = 0.6;

type StartOptions = Omit<InwxSimulatorOptions, 'faults'> & { timeoutMs?: number };

async function start(opts: StartOptions = {}): Promise<void> {
  const { timeoutMs, ...simOptions } = opts;
  faults = new FaultRegistry();
  sim = createInwxSimulator({
    faults,
    registrationSeconds: ORDER_SECONDS,
    transferSeconds: ORDER_SECONDS,
    ...simOptions,
  });
  server = await serveSimulator(sim);
  client = newClient({ timeoutMs: timeoutMs ?? 2000 });
}

function newClient(opts: Partial<InwxClientOptions> = {}): InwxClient {
  return new InwxClient({ url: server.url, user: 'vrs', pass: PASSWORD, timeoutMs: 2000, ...opts });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const afterOrdersComplete = () => sleep(ORDER_SECONDS * 1000 + 100);

const CONTACT: InwxContactInput = {
  type: 'PERSON',
  name: 'Erika Mustermann',
  street: 'Heidestraße 17',
  city: 'Köln',
  postalCode: '51147',
  countryCode: 'de',
  email: 'erika@example.de',
  phone: '+49 30 1234567',
};

/** One contact for all four roles, as the domain flows use it. */
async function contacts(c: InwxClient = client) {
  const id = await c.ensureContact(CONTACT);
  return { registrant: id, admin: id, tech: id, billing: id };
}

async function rejection(p: Promise<unknown>): Promise<ExternalServiceError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ExternalServiceError);
  expect((err as Error).message).not.toContain(PASSWORD);
  return err as ExternalServiceError;
}

/** A bare XML-RPC call without our client's session handling. */
function rawCall(url: string, method: string, params: Record<string, unknown>): Promise<{ code: number }> {
  return new Promise((resolve, reject) => {
    xmlrpc
      .createClient({ url })
      .methodCall(method, [params], (err, value) => (err ? reject(err) : resolve(value)));
  });
}

describe('InwxClient against the DomRobot simulator', () => {
  beforeEach(async () => {
    await start();
  });
  afterEach(async () => {
    await client.logout().catch(() => undefined);
    await server.close();
  });

  it('logs in, creates a record under the base zone and finds it by full name', async () => {
    const id = await client.createRecord({
      domain: 'vrs.gmbh',
      name: 'mueller',
      type: 'A',
      content: '203.0.113.7',
      ttl: 300,
    });

    expect(id).toBeGreaterThan(0);
    const found = await client.findRecords('vrs.gmbh', { name: 'mueller.vrs.gmbh', type: 'A' });
    expect(found).toEqual([
      { id, name: 'mueller.vrs.gmbh', type: 'A', content: '203.0.113.7', ttl: 300, prio: 0 },
    ]);
    expect(await client.findRecords('vrs.gmbh', { name: 'mueller' })).toHaveLength(1);
  });

  it('returns the existing id for a duplicate record instead of creating a second one', async () => {
    const input = {
      domain: 'vrs.gmbh',
      name: 'www.mueller',
      type: 'CNAME',
      content: 'mueller.vrs.gmbh',
      ttl: 300,
    };
    const first = await client.createRecord(input);
    const second = await client.createRecord({ ...input, name: 'www.mueller.vrs.gmbh' });

    expect(second).toBe(first);
    expect(sim.records('vrs.gmbh').filter((r) => r.name === 'www.mueller.vrs.gmbh')).toHaveLength(1);
  });

  it('updates and deletes records', async () => {
    const id = await client.createRecord({
      domain: 'vrs.gmbh',
      name: 'app',
      type: 'A',
      content: '192.0.2.1',
      ttl: 3600,
    });
    await client.updateRecord(id, { content: '192.0.2.2', ttl: 600 });
    expect(sim.records().find((r) => r.id === id)).toMatchObject({ content: '192.0.2.2', ttl: 600 });

    await client.deleteRecord(id);
    expect(await client.findRecords('vrs.gmbh', { name: 'app' })).toEqual([]);
    const err = await rejection(client.deleteRecord(id));
    expect(err).toMatchObject({ transient: false, code: 2303 });
    expect(err.message).toContain('Object does not exist');
    expect(err.message).toContain('2303');
  });

  it('deleteRecordIfExists deletes a record once and is false for one INWX no longer has', async () => {
    const id = await client.createRecord({
      domain: 'vrs.gmbh',
      name: 'gone',
      type: 'A',
      content: '192.0.2.3',
      ttl: 300,
    });
    expect(await client.deleteRecordIfExists(id)).toBe(true);
    expect(sim.records().some((r) => r.id === id)).toBe(false);
    expect(await client.deleteRecordIfExists(id)).toBe(false);
  });

  it('maps an `error` fault (DomRobot 2400) to a transient error, then works again', async () => {
    faults.add({ service: 'inwx', operation: 'nameserver.createRecord', mode: 'error', times: 1 });
    const input = { domain: 'vrs.gmbh', name: 'fault', type: 'A', content: '192.0.2.9', ttl: 300 };

    const err = await rejection(client.createRecord(input));
    expect(err).toMatchObject({ service: 'inwx', transient: true, code: 2400 });
    expect(sim.records().filter((r) => r.name === 'fault.vrs.gmbh')).toHaveLength(0);
    await expect(client.createRecord(input)).resolves.toBeGreaterThan(0);
  });

  it('takes 2400, 2500 and 2502 as transient; other 2xxx codes (2501 included) as permanent', async () => {
    const input = { domain: 'vrs.gmbh', name: 'codes', type: 'A', content: '192.0.2.8', ttl: 300 };
    const cases: [number, boolean][] = [
      [2400, true],
      [2500, true],
      [2502, true],
      [2104, false],
      [2304, false],
      [2308, false],
      [2501, false],
    ];
    for (const [code, transient] of cases) {
      faults.add({ service: 'inwx', operation: 'nameserver.createRecord', mode: 'error', code, times: 1 });
      expect(await rejection(client.createRecord(input)), String(code)).toMatchObject({ code, transient });
    }
  });

  it('logs in again after a session limit (2502) at login, within the same call', async () => {
    faults.add({ service: 'inwx', operation: 'account.login', mode: 'error', code: 2502, times: 1 });
    await expect(client.checkDomain('a.de')).resolves.toMatchObject({ available: true });
    expect(sim.stats()).toMatchObject({ logins: 1, calls: { 'account.login': 2 } });
  });

  it('maps HTTP 500 and 429 to transient errors once the retries of a read are used up', async () => {
    faults.add({ service: 'inwx', operation: 'nameserver.info', mode: 'http_500', times: 3 });
    faults.add({ service: 'inwx', operation: 'domain.check', mode: 'http_429', times: 3 });

    expect(await rejection(client.findRecords('vrs.gmbh'))).toMatchObject({ transient: true, code: 500 });
    expect(await rejection(client.checkDomain('example.de'))).toMatchObject({ transient: true, code: 429 });
  });

  it('tries a read again after a transient failure, but never a write', async () => {
    faults.add({ service: 'inwx', operation: 'nameserver.info', mode: 'http_500', times: 1 });
    await expect(client.findRecords('vrs.gmbh')).resolves.toBeDefined();

    faults.add({ service: 'inwx', operation: 'nameserver.createRecord', mode: 'http_500', times: 1 });
    const write = client.createRecord({
      domain: 'vrs.gmbh',
      name: 'once',
      type: 'TXT',
      content: 'x',
      ttl: 300,
    });
    expect(await rejection(write)).toMatchObject({ transient: true, code: 500 });
    // The failed create was not repeated behind the caller's back: the record is not there.
    expect(await client.findRecords('vrs.gmbh', { name: 'once.vrs.gmbh' })).toEqual([]);
  });

  it('rejects with a transient error when the timeout elapses on a stalled call', async () => {
    await client.logout();
    await server.close();
    await start({ timeoutMs: 300 });
    await client.findRecords('vrs.gmbh'); // log in first, so only the faulted call is timed
    faults.add({ service: 'inwx', operation: 'nameserver.createRecord', mode: 'timeout', times: 1 });

    const started = Date.now();
    const err = await rejection(
      client.createRecord({ domain: 'vrs.gmbh', name: 'slow', type: 'A', content: '192.0.2.3', ttl: 300 }),
    );
    expect(err).toMatchObject({ transient: true, code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('requires the session cookie, and the client logs in again when its session expired', async () => {
    const anonymous = await rawCall(server.url, 'nameserver.info', { domain: 'vrs.gmbh' });
    expect(anonymous.code).toBe(2200);

    await client.createRecord({ domain: 'vrs.gmbh', name: 'a', type: 'TXT', content: 'one', ttl: 300 });
    sim.expireSessions();
    await expect(
      client.createRecord({ domain: 'vrs.gmbh', name: 'b', type: 'TXT', content: 'two', ttl: 300 }),
    ).resolves.toBeGreaterThan(0);
  });

  it('checks domains: `taken…` names are registered elsewhere, others available with a price', async () => {
    await expect(client.checkDomain('mueller-bau.de')).resolves.toEqual({
      domain: 'mueller-bau.de',
      available: true,
      priceCents: 595,
    });
    await expect(client.checkDomain('taken-shop.de')).resolves.toMatchObject({ available: false });

    await client.createDomain({ domain: 'mueller-bau.de', period: '1Y', ...(await contacts()) });
    await expect(client.checkDomain('mueller-bau.de')).resolves.toMatchObject({ available: false });
  });

  it('creates zones once (2302 on repeat) and keeps the base zone', async () => {
    await client.call('nameserver.create', { domain: 'mueller-bau.de', type: 'MASTER' });
    const again = await rejection(
      client.call('nameserver.create', { domain: 'mueller-bau.de', type: 'MASTER' }),
    );
    expect(again).toMatchObject({ transient: false, code: 2302 });

    const list = await client.call('nameserver.list', {});
    const domains = ((list.resData?.domains ?? []) as { domain: string }[]).map((d) => d.domain);
    expect(domains).toEqual(['vrs.gmbh', 'mueller-bau.de']);
  });
});

describe('InwxClient: contacts, zones and domains', () => {
  beforeEach(async () => {
    await start();
  });
  afterEach(async () => {
    await client.logout();
    await server.close();
  });

  it('ensureContact creates a contact once and finds it on a re-run', async () => {
    const first = await client.ensureContact(CONTACT);
    const again = await client.ensureContact({ ...CONTACT, phone: '+49.301234567', countryCode: 'DE' });

    expect(again).toBe(first);
    expect(sim.contacts()).toEqual([
      {
        id: first,
        type: 'PERSON',
        name: 'Erika Mustermann',
        street: 'Heidestraße 17',
        city: 'Köln',
        pc: '51147',
        cc: 'DE',
        voice: '+49.301234567',
        email: 'erika@example.de',
      },
    ]);
    // Different details are a different contact.
    const moved = await client.ensureContact({ ...CONTACT, street: 'Domstraße 1' });
    expect(moved).not.toBe(first);
    expect(await client.findContact({ ...CONTACT, street: 'Domstraße 1' })).toBe(moved);
    expect(await client.findContact({ ...CONTACT, email: 'nobody@example.de' })).toBeNull();
    expect(sim.stats().calls['contact.create']).toBe(2);
  });

  it('createZone returns the existing zone id on a re-run', async () => {
    const roId = await client.createZone('mueller-bau.de', ['ns.inwx.de', 'ns2.inwx.de']);
    await expect(client.createZone('mueller-bau.de')).resolves.toBe(roId);
    expect(sim.zones().filter((z) => z.domain === 'mueller-bau.de')).toEqual([
      { roId, domain: 'mueller-bau.de', type: 'MASTER', ns: ['ns.inwx.de', 'ns2.inwx.de'] },
    ]);
  });

  it('registers a domain: 1001 and pending, then OK with an expiry one year on', async () => {
    const order = await client.createDomain({
      domain: 'mueller-bau.de',
      period: '1Y',
      ...(await contacts()),
      renewalMode: 'AUTOEXPIRE',
    });
    expect(order).toEqual({ roId: expect.any(Number), pending: true, priceCents: 595 });

    const pending = await client.domainInfo('mueller-bau.de');
    expect(pending).toMatchObject({ roId: order.roId, status: 'ORDER PENDING', expiresAt: null });

    await afterOrdersComplete();
    const done = await client.domainInfo('mueller-bau.de');
    expect(done).toMatchObject({
      roId: order.roId,
      domain: 'mueller-bau.de',
      status: 'OK',
      renewalMode: 'AUTOEXPIRE',
      transferLock: true,
      nameservers: ['ns.inwx.de', 'ns2.inwx.de', 'ns3.inwx.eu'],
    });
    const years = (Date.parse(done!.expiresAt!) - Date.parse(done!.createdAt!)) / (365.25 * 86400_000);
    expect(years).toBeCloseTo(1, 1);
  });

  it('setRenewalMode changes what INWX does at expiry; false for a domain outside the account', async () => {
    await client.createDomain({ domain: 'mueller-bau.de', period: '1Y', ...(await contacts()) });
    await afterOrdersComplete();
    expect((await client.domainInfo('mueller-bau.de'))?.renewalMode).toBe('AUTORENEW');

    expect(await client.setRenewalMode('mueller-bau.de', 'AUTOEXPIRE')).toBe(true);
    expect(await client.setRenewalMode('mueller-bau.de', 'AUTOEXPIRE')).toBe(true);
    expect((await client.domainInfo('mueller-bau.de'))?.renewalMode).toBe('AUTOEXPIRE');
    expect(await client.setRenewalMode('nicht-bei-uns.de', 'AUTOEXPIRE')).toBe(false);
  });

  it('a re-run of createDomain returns the domain already ordered; a domain taken elsewhere fails with 2302', async () => {
    const input = { domain: 'mueller-bau.de', period: '1Y' as const, ...(await contacts()) };
    const first = await client.createDomain(input);

    await expect(client.createDomain(input)).resolves.toEqual({ roId: first.roId, pending: true });
    await afterOrdersComplete();
    await expect(client.createDomain(input)).resolves.toEqual({ roId: first.roId, pending: false });
    expect(sim.domains()).toHaveLength(1);

    const taken = await rejection(client.createDomain({ ...input, domain: 'taken-shop.de' }));
    expect(taken).toMatchObject({ transient: false, code: 2302 });
    expect(taken.message).toContain('no longer available');
  });

  it('refuses a registration naming a contact that does not exist (2303)', async () => {
    const err = await rejection(
      client.createDomain({
        domain: 'x-bau.de',
        period: '1Y',
        registrant: 999,
        admin: 999,
        tech: 999,
        billing: 999,
      }),
    );
    expect(err).toMatchObject({ transient: false, code: 2303 });
    expect(sim.domains()).toEqual([]);
  });

  it('transfers a domain in: pending, a re-run returns the same order, then OK', async () => {
    const order = await client.transferDomain({ domain: 'taken-shop.de', authCode: 'A1b2-C3d4' });
    expect(order).toEqual({ roId: expect.any(Number), pending: true, priceCents: 595 });
    await expect(client.domainInfo('taken-shop.de')).resolves.toMatchObject({ status: 'TRANSFER PENDING' });
    await expect(client.transferDomain({ domain: 'taken-shop.de', authCode: 'A1b2-C3d4' })).resolves.toEqual({
      roId: order.roId,
      pending: true,
    });

    await afterOrdersComplete();
    await expect(client.domainInfo('taken-shop.de')).resolves.toMatchObject({
      roId: order.roId,
      status: 'OK',
    });
    await expect(client.transferDomain({ domain: 'taken-shop.de', authCode: 'A1b2-C3d4' })).resolves.toEqual({
      roId: order.roId,
      pending: false,
    });
    expect(sim.stats().calls['domain.transfer']).toBe(3);
    expect(sim.domains()).toHaveLength(1);
  });

  it('a transfer with auth code `wrong` fails: gone from domain.info (null) and domain.list', async () => {
    await client.transferDomain({ domain: 'taken-other.de', authCode: 'wrong' });
    await afterOrdersComplete();

    await expect(client.domainInfo('taken-other.de')).resolves.toBeNull();
    await expect(client.allDomains()).resolves.toEqual([]);
  });

  it('never puts the auth code in an error message, even when INWX echoes it', async () => {
    const authCode = 'Zq9-auth-7Kx';
    const notRegistered = await rejection(client.transferDomain({ domain: 'free-name.de', authCode }));
    expect(notRegistered).toMatchObject({ transient: false, code: 2303 });
    expect(notRegistered.message).not.toContain(authCode);

    faults.add({ service: 'inwx', operation: 'domain.transfer', mode: 'error', times: 1 });
    const failed = await rejection(client.transferDomain({ domain: 'taken-shop.de', authCode }));
    expect(failed).toMatchObject({ transient: true, code: 2400 });
    expect(failed.message).not.toContain(authCode);

    // A server whose error text quotes the auth code back.
    const echo = await serveSimulator(async (req, signal) => {
      if (!req.body.toString('utf8').includes('domain.transfer')) return sim(req, signal);
      return {
        status: 200,
        headers: { 'content-type': 'text/xml' },
        body: serializeMethodResponse({
          code: 2202,
          msg: 'Invalid authorization information',
          reason: `authCode ${authCode} rejected by registry`,
        }),
      };
    });
    try {
      const echoed = await rejection(
        new InwxClient({ url: echo.url, user: 'vrs', pass: PASSWORD }).transferDomain({
          domain: 'taken-shop.de',
          authCode,
        }),
      );
      expect(echoed).toMatchObject({ transient: false, code: 2202, service: 'inwx' });
      expect(echoed.message).toBe(
        'inwx: domain.transfer: Invalid authorization information: authCode [redacted] rejected by registry (code 2202)',
      );
      expect(String(echoed.stack)).not.toContain(authCode);
    } finally {
      await echo.close();
    }
  });

  it('domainInfo is null for a domain outside the account', async () => {
    await expect(client.domainInfo('not-ours.de')).resolves.toBeNull();
  });

  it('pages through 45 domains with one login, and filters by status', async () => {
    const roles = await contacts();
    for (let i = 0; i < 45; i++)
      await client.createDomain({ domain: `shop-${String(i).padStart(2, '0')}.de`, period: '1Y', ...roles });
    await afterOrdersComplete();
    await client.createDomain({ domain: 'late-order.de', period: '1Y', ...roles });
    // Asked at once: the order completes ORDER_SECONDS after it was placed.
    await expect(client.allDomains({ status: ['ORDER PENDING'] })).resolves.toMatchObject([
      { domain: 'late-order.de', status: 'ORDER PENDING', expiresAt: null },
    ]);

    const page2 = await client.listDomains({ page: 2, pageLimit: 20 });
    expect(page2.count).toBe(46);
    expect(page2.domains.map((d) => d.domain)).toEqual(
      Array.from({ length: 20 }, (_, i) => `shop-${String(i + 19).padStart(2, '0')}.de`),
    );

    const listCalls = sim.stats().calls['domain.list'] ?? 0;
    // The late order may have completed by now: only the shops are counted.
    const ok = (await client.allDomains({ status: ['OK'], pageLimit: 20 })).filter(
      (d) => d.domain !== 'late-order.de',
    );
    expect(ok).toHaveLength(45);
    expect(new Set(ok.map((d) => d.roId)).size).toBe(45);
    expect(ok.every((d) => d.status === 'OK' && d.expiresAt !== null)).toBe(true);
    expect(sim.stats().calls['domain.list']).toBe(listCalls + 3);
    expect(sim.stats().logins).toBe(1);
  });
});

describe('InwxClient sessions', () => {
  afterEach(async () => {
    await client.logout();
    await server.close();
  });

  it('logout is safe without a session, ends one, and never throws for a dead one', async () => {
    await start();
    await client.logout();
    expect(sim.stats()).toEqual({ logins: 0, calls: {} });

    await client.checkDomain('a.de');
    await client.logout();
    expect(sim.stats().calls['account.logout']).toBe(1);
    await client.checkDomain('b.de');
    expect(sim.stats().logins).toBe(2);

    sim.expireSessions();
    await expect(client.logout()).resolves.toBeUndefined();
    await client.checkDomain('c.de');
    await server.close();
    await expect(client.logout()).resolves.toBeUndefined();
    server = await serveSimulator(sim); // for afterEach
  });

  it('unlocks a 2FA account with the current TOTP of its shared secret', async () => {
    const sharedSecret = 'JBSWY3DPEHPK3PXP';
    await start({ tfaSecret: sharedSecret });
    client = newClient({ sharedSecret });

    await expect(client.checkDomain('mueller-bau.de')).resolves.toMatchObject({ available: true });
    await client.createRecord({ domain: 'vrs.gmbh', name: 'tfa', type: 'TXT', content: 'ok', ttl: 300 });
    expect(sim.stats()).toMatchObject({ logins: 1, calls: { 'account.unlock': 1 } });
  });

  it('without a shared secret, a 2FA account is a clear permanent error and leaves no session open', async () => {
    await start({ tfaSecret: 'JBSWY3DPEHPK3PXP', maxSessions: 1 });

    const err = await rejection(client.checkDomain('mueller-bau.de'));
    expect(err).toMatchObject({ transient: false });
    expect(err.message).toContain('2FA');
    // The locked session was logged out, so another login still fits under the limit of one.
    const wrongSecret = await rejection(newClient({ sharedSecret: 'GEZDGNBVGY3TQOJQ' }).checkDomain('a.de'));
    expect(wrongSecret).toMatchObject({ transient: false, code: 2200 });
    expect(wrongSecret.message).toContain('account.unlock');
    expect(sim.stats().calls['account.logout']).toBe(2);
  });

  it('answers 2502 beyond the session limit (transient), and a logout makes room', async () => {
    await start({ maxSessions: 2 });
    const second = newClient();
    const third = newClient();
    await client.checkDomain('a.de');
    await second.checkDomain('a.de');

    const err = await rejection(third.checkDomain('a.de'));
    expect(err).toMatchObject({ transient: true, code: 2502 });
    await second.logout();
    await expect(third.checkDomain('a.de')).resolves.toMatchObject({ available: true });
    await third.logout();
  });
});

describe('InwxSimulator persistence', () => {
  it('reloads records from persistPath', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inwx-sim-'));
    const persistPath = join(dir, 'inwx.json');
    try {
      await start({ persistPath });
      const id = await client.createRecord({
        domain: 'vrs.gmbh',
        name: 'kept',
        type: 'A',
        content: '192.0.2.4',
        ttl: 300,
      });
      await server.close();

      const reloaded = createInwxSimulator({ faults: new FaultRegistry(), persistPath });
      expect(reloaded.records('vrs.gmbh').find((r) => r.id === id)).toMatchObject({ name: 'kept.vrs.gmbh' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
