import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FaultRegistry, faultSchema } from '../../../../infra/local/simulators/faults.js';
import {
  createInwxSimulator,
  type InwxSimulator,
  type InwxSimulatorOptions,
} from '../../../../infra/local/simulators/inwx.js';
import { totp } from '../../../../shared/integrations/inwx/totp.js';

// The DomRobot simulator on its own, called in-process with a clock the tests move: orders complete
// by time (not by polls), sessions, 2FA, contacts, paging and counters.

const require = createRequire(import.meta.url);
const serializer = require('xmlrpc/lib/serializer.js') as {
  serializeMethodCall(method: string, params: unknown[]): string;
};
const Deserializer = require('xmlrpc/lib/deserializer.js') as new () => {
  deserializeMethodResponse(stream: NodeJS.ReadableStream, cb: (err: unknown, value: unknown) => void): void;
};

interface Answer {
  code: number;
  msg: string;
  reason?: string;
  // biome-ignore lint/suspicious/noExplicitAny: DomRobot's resData varies by method; tests read into it.
  resData?: any;
}

const T0 = Date.parse('2026-03-01T10:00:00Z');
let clock: number;
let faults: FaultRegistry;
let sim: InwxSimulator;

function simulator(opts: Partial<InwxSimulatorOptions> = {}): InwxSimulator {
  faults = new FaultRegistry();
  return createInwxSimulator({
    faults,
    registrationSeconds: 1,
    transferSeconds: 5,
    now: () => clock,
    ...opts,
  });
}

/** A DomRobot session against `target`: logs in on creation (unless told not to), keeps the cookie. */
function session(target: InwxSimulator) {
  let cookie: string | undefined;
  const call = async (method: string, params: Record<string, unknown> = {}): Promise<Answer> => {
    const res = await target(
      {
        method: 'POST',
        path: '/',
        query: new URLSearchParams(),
        headers: cookie ? { cookie } : {},
        body: Buffer.from(serializer.serializeMethodCall(method, [params])),
      },
      new AbortController().signal,
    );
    const setCookie = res.headers?.['set-cookie'];
    if (setCookie) cookie = setCookie.split(';')[0];
    if (res.status !== 200) return { code: res.status, msg: String(res.body) };
    return new Promise((resolve, reject) => {
      const stream = new PassThrough();
      new Deserializer().deserializeMethodResponse(stream, (err, value) =>
        err ? reject(err) : resolve(value as Answer),
      );
      stream.end(res.body);
    });
  };
  return {
    call,
    login: () => call('account.login', { user: 'vrs', pass: 'secret' }),
  };
}

async function loggedIn(target: InwxSimulator = sim) {
  const s = session(target);
  expect((await s.login()).code).toBe(1000);
  return s.call;
}

const CONTACT = {
  type: 'PERSON',
  name: 'Erika Mustermann',
  street: 'Heidestraße 17',
  city: 'Köln',
  pc: '51147',
  cc: 'DE',
  voice: '+49.301234567',
  email: 'erika@example.de',
};

async function roles(call: Awaited<ReturnType<typeof loggedIn>>) {
  const id = (await call('contact.create', CONTACT)).resData.id as number;
  return { registrant: id, admin: id, tech: id, billing: id };
}

const advance = (seconds: number) => {
  clock += seconds * 1000;
};

beforeEach(() => {
  clock = T0;
  sim = simulator();
});

describe('INWX simulator: registration and transfer by time', () => {
  it('registers a domain: 1001, ORDER PENDING until registrationSeconds, then OK for a year', async () => {
    const call = await loggedIn();
    const created = await call('domain.create', {
      domain: 'Mueller-Bau.de',
      period: '1Y',
      ...(await roles(call)),
    });
    expect(created).toMatchObject({ code: 1001, resData: { price: 5.95, currency: 'EUR' } });

    advance(0.999);
    const pending = await call('domain.info', { domain: 'mueller-bau.de' });
    expect(pending.resData).toMatchObject({ roId: created.resData.roId, status: 'ORDER PENDING' });
    expect(pending.resData.exDate).toBeUndefined();
    expect((await call('domain.check', { domain: ['mueller-bau.de'] })).resData.domain[0].avail).toBe(0);

    advance(0.001);
    const done = await call('domain.info', { roId: created.resData.roId });
    expect(done.resData).toMatchObject({ domain: 'mueller-bau.de', status: 'OK', renewalMode: 'AUTORENEW' });
    expect((done.resData.exDate as Date).getTime()).toBe(Date.parse('2027-03-01T10:00:01Z'));
  });

  it('polling changes nothing: a transfer is pending until transferSeconds whoever asks how often', async () => {
    const call = await loggedIn();
    expect((await call('domain.transfer', { domain: 'taken-shop.de', authCode: 'x1' })).code).toBe(1001);
    for (let i = 0; i < 10; i++) {
      advance(0.4);
      expect((await call('domain.info', { domain: 'taken-shop.de' })).resData.status).toBe(
        'TRANSFER PENDING',
      );
    }
    expect((await call('domain.transfer', { domain: 'taken-shop.de', authCode: 'x1' })).code).toBe(2300);
    advance(1);
    expect((await call('domain.info', { domain: 'taken-shop.de' })).resData.status).toBe('OK');
    expect((await call('domain.transfer', { domain: 'taken-shop.de', authCode: 'x1' })).code).toBe(2302);
    expect(sim.domains()).toMatchObject([{ domain: 'taken-shop.de', origin: 'transfer', status: 'OK' }]);
  });

  it('a transfer with auth code `wrong` fails at transferSeconds: 2303 on info, absent from list', async () => {
    const call = await loggedIn();
    await call('domain.transfer', { domain: 'taken-other.de', authCode: 'wrong' });
    expect((await call('domain.info', { domain: 'taken-other.de' })).resData.status).toBe('TRANSFER PENDING');

    advance(5);
    expect((await call('domain.info', { domain: 'taken-other.de' })).code).toBe(2303);
    expect((await call('domain.list', {})).resData).toEqual({ count: 0, domain: [] });
    expect(sim.domains()).toEqual([]);
    // It may be tried again with the right code.
    expect((await call('domain.transfer', { domain: 'taken-other.de', authCode: 'right' })).code).toBe(1001);
  });

  it('only `taken…` domains can be transferred in; they cannot be registered', async () => {
    const call = await loggedIn();
    expect((await call('domain.transfer', { domain: 'free-name.de', authCode: 'x' })).code).toBe(2303);
    expect((await call('domain.create', { domain: 'taken-x.de', ...(await roles(call)) })).code).toBe(2302);
  });

  it('keeps the schedule across a restart (persistPath), and migrates files from before timestamps', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inwx-sim-'));
    try {
      const persistPath = join(dir, 'inwx.json');
      const first = simulator({ persistPath });
      const call = await loggedIn(first);
      await call('domain.create', { domain: 'kept.de', ...(await roles(call)) });
      await call('domain.transfer', { domain: 'taken-kept.de', authCode: 'x' });

      advance(2);
      const restarted = simulator({ persistPath });
      expect(restarted.domains().map((d) => [d.domain, d.status])).toEqual([
        ['kept.de', 'OK'],
        ['taken-kept.de', 'TRANSFER PENDING'],
      ]);
      advance(3);
      expect(restarted.domains().map((d) => d.status)).toEqual(['OK', 'OK']);

      const oldPath = join(dir, 'old.json');
      writeFileSync(
        oldPath,
        JSON.stringify({
          nextId: 50,
          zones: {},
          records: [],
          domains: {
            'done.de': {
              roId: 40,
              domain: 'done.de',
              status: 'OK',
              crDate: '2025-05-01T00:00:00.000Z',
              ns: [],
            },
            'taken-a.de': {
              roId: 41,
              domain: 'taken-a.de',
              status: 'TRANSFER PENDING',
              crDate: '2026-02-01T00:00:00.000Z',
              ns: [],
              transfer: { polls: 1, fails: false },
            },
            'taken-b.de': {
              roId: 42,
              domain: 'taken-b.de',
              status: 'TRANSFER PENDING',
              crDate: '2026-02-01T00:00:00.000Z',
              ns: [],
              transfer: { polls: 0, fails: true },
            },
          },
        }),
      );
      const migrated = simulator({ persistPath: oldPath });
      expect(migrated.domains()).toMatchObject([
        { roId: 40, domain: 'done.de', status: 'OK', exDate: '2026-05-01T00:00:00.000Z' },
        { roId: 41, domain: 'taken-a.de', origin: 'transfer', status: 'OK' },
      ]);
      expect(migrated.zones().map((z) => z.domain)).toEqual(['vrs.gmbh']);
      expect(migrated.contacts()).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the durations from VRS_SIM_REGISTRATION_SECONDS and VRS_SIM_TRANSFER_SECONDS', async () => {
    const saved = { ...process.env };
    try {
      process.env.VRS_SIM_REGISTRATION_SECONDS = '0.5';
      process.env.VRS_SIM_TRANSFER_SECONDS = '30';
      const fromEnv = createInwxSimulator({ faults: new FaultRegistry(), now: () => clock });
      const call = await loggedIn(fromEnv);
      await call('domain.create', { domain: 'env.de', ...(await roles(call)) });
      await call('domain.transfer', { domain: 'taken-env.de' });
      advance(0.5);
      expect(fromEnv.domains().map((d) => d.status)).toEqual(['OK', 'TRANSFER PENDING']);
      advance(29.5);
      expect(fromEnv.domains().map((d) => d.status)).toEqual(['OK', 'OK']);
    } finally {
      process.env = saved;
    }
  });
});

describe('INWX simulator: contacts', () => {
  it('domain.create needs four existing contact handles (2003 missing, 2303 unknown)', async () => {
    const call = await loggedIn();
    const r = await roles(call);
    expect((await call('domain.create', { domain: 'a.de' })).code).toBe(2003);
    const { billing: _b, ...three } = r;
    expect(await call('domain.create', { domain: 'a.de', ...three })).toMatchObject({
      code: 2003,
      reason: 'Parameter billing missing',
    });
    expect((await call('domain.create', { domain: 'a.de', ...r, tech: 4711 })).code).toBe(2303);
    expect((await call('domain.transfer', { domain: 'taken-a.de', ...r, admin: 4711 })).code).toBe(2303);
    expect((await call('domain.create', { domain: 'a.de', ...r })).code).toBe(1001);
    expect(sim.domains()[0]?.contacts).toEqual(r);
  });

  it('contact.create validates, contact.info and contact.list (search, paging) find contacts', async () => {
    const call = await loggedIn();
    expect((await call('contact.create', { ...CONTACT, voice: '030 1234567' })).code).toBe(2005);
    expect((await call('contact.create', { ...CONTACT, type: 'ALIEN' })).code).toBe(2004);
    const { email: _e, ...noEmail } = CONTACT;
    expect((await call('contact.create', noEmail)).code).toBe(2003);

    const parsed = await call('contact.create', {
      ...CONTACT,
      voice: '+49 30 1234567',
      extData: { 'PARSE-VOICE': true },
    });
    const id = parsed.resData.id as number;
    expect((await call('contact.info', { id })).resData.contact).toMatchObject({
      roId: id,
      id,
      voice: '+49.301234567',
    });
    expect((await call('contact.info', { id: 4711 })).code).toBe(2303);

    for (const n of [1, 2, 3]) await call('contact.create', { ...CONTACT, email: `other${n}@example.de` });
    const search = await call('contact.list', { search: 'erika@' });
    expect(search.resData).toMatchObject({ count: 1, contact: [{ roId: id }] });
    const page = await call('contact.list', { page: 2, pagelimit: 3 });
    expect(page.resData.count).toBe(4);
    expect(page.resData.contact.map((c: { roId: number }) => c.roId)).toEqual([id]); // IDDESC
  });
});

describe('INWX simulator: zones and lists', () => {
  it('nameserver.create refuses a duplicate zone (2302); nameserver.list pages', async () => {
    const call = await loggedIn();
    expect((await call('nameserver.create', { domain: 'a.de', type: 'MASTER' })).code).toBe(1000);
    expect((await call('nameserver.create', { domain: 'A.de', type: 'MASTER' })).code).toBe(2302);
    await call('nameserver.create', { domain: 'b.de', type: 'MASTER' });

    const list = await call('nameserver.list', { page: 2, pagelimit: 2 });
    expect(list.resData).toMatchObject({ count: 3, domains: [{ domain: 'b.de', type: 'MASTER' }] });
    expect((await call('nameserver.list', { domain: 'a.*' })).resData.count).toBe(1);
  });

  it('domain.list filters by status[] and domain, pages in name order, and counts all matches', async () => {
    const call = await loggedIn();
    const r = await roles(call);
    for (const d of ['c.de', 'a.de', 'b.de']) await call('domain.create', { domain: d, ...r });
    advance(1);
    await call('domain.create', { domain: 'd.de', ...r });
    await call('domain.transfer', { domain: 'taken-e.de' });

    const names = (a: Answer) => a.resData.domain.map((d: { domain: string }) => d.domain);
    const ok = await call('domain.list', { status: ['OK'], page: 1, pagelimit: 2 });
    expect(ok.resData.count).toBe(3);
    expect(names(ok)).toEqual(['a.de', 'b.de']);
    expect(names(await call('domain.list', { status: ['OK'], page: 2, pagelimit: 2 }))).toEqual(['c.de']);
    expect(names(await call('domain.list', { status: ['ORDER PENDING', 'TRANSFER PENDING'] }))).toEqual([
      'd.de',
      'taken-e.de',
    ]);
    expect(names(await call('domain.list', { status: 'TRANSFER PENDING' }))).toEqual(['taken-e.de']);
    expect(names(await call('domain.list', { domain: 'b*' }))).toEqual(['b.de']);
    expect((await call('domain.list', { page: 9 })).resData).toEqual({ count: 5, domain: [] });
  });
});

describe('INWX simulator: renewal mode, renewal and deletion', () => {
  it('domain.update sets the renewal mode; domain.renew needs the current expiry and adds the period', async () => {
    const call = await loggedIn();
    await call('domain.create', { domain: 'ablauf.de', period: '1Y', ...(await roles(call)) });
    expect((await call('domain.update', { domain: 'ablauf.de', renewalMode: 'AUTODELETE' })).code).toBe(2300);
    advance(1);

    expect((await call('domain.update', { domain: 'ablauf.de', renewalMode: 'SOMETIMES' })).code).toBe(2004);
    expect((await call('domain.update', { domain: 'ablauf.de', renewalMode: 'AUTODELETE' })).code).toBe(1000);
    expect((await call('domain.update', { domain: 'fremd.de', renewalMode: 'AUTODELETE' })).code).toBe(2303);

    expect(
      (await call('domain.renew', { domain: 'ablauf.de', period: '1Y', expiration: '2027-01-01' })).code,
    ).toBe(2004);
    const renewed = await call('domain.renew', {
      domain: 'ablauf.de',
      period: '2Y',
      expiration: '2027-03-01',
    });
    expect(renewed.code).toBe(1000);
    expect((renewed.resData.exDate as Date).getTime()).toBe(Date.parse('2029-03-01T10:00:01Z'));
    const [listed] = (await call('domain.list', {})).resData.domain;
    expect(listed).toMatchObject({ domain: 'ablauf.de', renewalMode: 'AUTODELETE' });
    expect((listed.exDate as Date).toISOString()).toBe('2029-03-01T10:00:01.000Z');
  });

  it('domain.delete takes the domain out of the account; it can be registered again', async () => {
    const call = await loggedIn();
    const r = await roles(call);
    await call('domain.create', { domain: 'weg.de', ...r });
    advance(1);
    expect((await call('domain.delete', { domain: 'weg.de' })).code).toBe(1000);
    expect((await call('domain.info', { domain: 'weg.de' })).code).toBe(2303);
    expect((await call('domain.list', {})).resData.count).toBe(0);
    expect((await call('domain.delete', { domain: 'weg.de' })).code).toBe(2303);
    expect((await call('domain.create', { domain: 'weg.de', ...r })).code).toBe(1001);
  });
});

describe('INWX simulator: sessions', () => {
  it('account.logout ends a session (1500); the cookie is then refused (2200)', async () => {
    const call = await loggedIn();
    expect((await call('domain.list', {})).code).toBe(1000);
    expect((await call('account.logout')).code).toBe(1500);
    expect((await call('domain.list', {})).code).toBe(2200);
    expect((await call('account.logout')).code).toBe(2200);
  });

  it('answers 2502 at more than maxSessions open sessions; a logout or idling frees one', async () => {
    sim = simulator({ maxSessions: 2, sessionIdleSeconds: 60 });
    const a = await loggedIn();
    await loggedIn();
    const third = session(sim);
    expect((await third.login()).code).toBe(2502);

    await a('account.logout');
    expect((await third.login()).code).toBe(1000);
    expect((await session(sim).login()).code).toBe(2502);

    advance(61);
    expect((await session(sim).login()).code).toBe(1000);
    expect(sim.stats().logins).toBe(4);
  });

  it('with tfaSecret, a session does nothing but account.unlock until a valid TAN', async () => {
    const secret = 'JBSWY3DPEHPK3PXP';
    sim = simulator({ tfaSecret: secret });
    const s = session(sim);
    expect((await s.login()).resData.tfa).toBe('GOOGLE-AUTH');
    expect((await s.call('domain.list', {})).code).toBe(2200);
    expect((await s.call('account.unlock', { tan: '000000' })).code).toBe(2200);
    expect((await s.call('account.unlock', { tan: totp(secret, clock - 30_000) })).code).toBe(1000);
    expect((await s.call('domain.list', {})).code).toBe(1000);

    const late = session(sim);
    await late.login();
    expect((await late.call('account.unlock', { tan: totp(secret, clock - 90_000) })).code).toBe(2200);
  });
});

describe('INWX simulator: counters and faults', () => {
  let call: Awaited<ReturnType<typeof loggedIn>>;
  beforeEach(async () => {
    call = await loggedIn();
  });
  afterEach(() => faults.clear());

  it('stats() counts logins and every call by method', async () => {
    await call('domain.check', { domain: ['a.de'] });
    await call('domain.check', { domain: ['b.de'] });
    await call('no.such');
    expect(sim.stats()).toEqual({
      logins: 1,
      calls: { 'account.login': 1, 'domain.check': 2, 'no.such': 1 },
    });
  });

  it('faults apply to the new methods too', async () => {
    faults.add({ service: 'inwx', operation: 'contact.create', mode: 'error', times: 1 });
    faults.add({ service: 'inwx', operation: 'domain.list', mode: 'http_500', times: 1 });
    faults.add({ service: 'inwx', operation: 'account.login', mode: 'http_429', times: 1 });

    expect((await call('contact.create', CONTACT)).code).toBe(2400);
    expect(sim.contacts()).toEqual([]);
    expect((await call('contact.create', CONTACT)).code).toBe(1000);
    expect((await call('domain.list', {})).code).toBe(500);
    expect((await call('domain.list', {})).code).toBe(1000);
    expect((await session(sim).login()).code).toBe(429);
  });

  it('an `error` fault answers with the DomRobot code it names (2502 at login), 2400 without one', async () => {
    faults.add({ service: 'inwx', operation: 'account.login', mode: 'error', code: 2502, times: 1 });
    faults.add({ service: 'inwx', operation: 'nameserver.create', mode: 'error', times: 1 });

    const refused = await session(sim).login();
    expect(refused).toMatchObject({ code: 2502, msg: expect.stringMatching(/^Session limit exceeded/) });
    expect(sim.stats().logins).toBe(1);
    expect((await session(sim).login()).code).toBe(1000);
    expect(await call('nameserver.create', { domain: 'stoerung.de', type: 'MASTER' })).toMatchObject({
      code: 2400,
      msg: 'Command failed',
    });
    expect(sim.zones().map((z) => z.domain)).not.toContain('stoerung.de');
  });

  it('an `afterEffect` fault lets the call take effect and loses only its answer', async () => {
    faults.add({
      service: 'inwx',
      operation: 'contact.create',
      mode: 'http_500',
      afterEffect: true,
      times: 1,
    });
    faults.add({ service: 'inwx', operation: 'domain.create', mode: 'error', afterEffect: true, times: 1 });

    expect((await call('contact.create', CONTACT)).code).toBe(500);
    expect(sim.contacts()).toHaveLength(1);
    const id = sim.contacts()[0]!.id;
    const handles = { registrant: id, admin: id, tech: id, billing: id };
    expect((await call('domain.create', { domain: 'spaet.de', ...handles })).code).toBe(2400);
    expect(sim.domains().map((d) => d.domain)).toEqual(['spaet.de']);
    // What a re-run sees: INWX has the order.
    expect((await call('domain.create', { domain: 'spaet.de', ...handles })).code).toBe(2302);
  });
});

describe('fault descriptions (POST /sim/faults)', () => {
  it('take a DomRobot `code` only for INWX `error` faults, and `afterEffect` only for INWX', () => {
    const ok = { service: 'inwx', operation: 'account.login', mode: 'error', code: 2502 };
    expect(faultSchema.safeParse(ok).success).toBe(true);
    expect(faultSchema.safeParse({ service: 'inwx', mode: 'timeout', afterEffect: true }).success).toBe(true);
    expect(faultSchema.safeParse({ service: 'coolify', mode: 'error' }).success).toBe(true);
    const paths = (input: unknown) =>
      faultSchema.safeParse(input).error?.issues.map((i) => i.path.join('.')) ?? [];
    expect(paths({ ...ok, mode: 'timeout' })).toEqual(['code']);
    expect(paths({ ...ok, code: 1000 })).toEqual(['code']);
    expect(paths({ service: 'coolify', mode: 'error', code: 2400 })).toEqual(['code']);
    expect(paths({ service: 'coolify', mode: 'timeout', afterEffect: true })).toEqual(['afterEffect']);
  });
});
