import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import xmlrpc from 'xmlrpc';
import { FaultRegistry } from '../../../../infra/local/simulators/faults.js';
import { createInwxSimulator, type InwxSimulator } from '../../../../infra/local/simulators/inwx.js';
import { InwxClient } from '../../../../shared/integrations/inwx/inwx-client.js';
import { ExternalServiceError } from '../../../../shared/platform/errors.js';
import { serveSimulator } from '../../../support/serve-simulator.js';

const PASSWORD = 'p4ss-never-in-errors';

let faults: FaultRegistry;
let sim: InwxSimulator;
let server: { url: string; close(): Promise<void> };
let client: InwxClient;

async function start(opts: { persistPath?: string; timeoutMs?: number } = {}): Promise<void> {
  faults = new FaultRegistry();
  sim = createInwxSimulator({
    faults,
    transferPolls: 3,
    ...(opts.persistPath ? { persistPath: opts.persistPath } : {}),
  });
  server = await serveSimulator(sim);
  client = new InwxClient({
    url: server.url,
    user: 'vrs',
    pass: PASSWORD,
    timeoutMs: opts.timeoutMs ?? 2000,
  });
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

  it('maps an `error` fault (DomRobot 2400) to a transient error, then works again', async () => {
    faults.add({ service: 'inwx', operation: 'nameserver.createRecord', mode: 'error', times: 1 });
    const input = { domain: 'vrs.gmbh', name: 'fault', type: 'A', content: '192.0.2.9', ttl: 300 };

    const err = await rejection(client.createRecord(input));
    expect(err).toMatchObject({ service: 'inwx', transient: true, code: 2400 });
    expect(sim.records().filter((r) => r.name === 'fault.vrs.gmbh')).toHaveLength(0);
    await expect(client.createRecord(input)).resolves.toBeGreaterThan(0);
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

    expect((await client.call('domain.create', { domain: 'mueller-bau.de' })).code).toBe(1001);
    await expect(client.checkDomain('mueller-bau.de')).resolves.toMatchObject({ available: false });
    const info = await client.call('domain.info', { domain: 'mueller-bau.de' });
    expect(info.resData?.status).toBe('OK');
  });

  it('completes a transfer after the configured number of domain.info polls', async () => {
    const started = await client.call('domain.transfer', { domain: 'taken-shop.de', authCode: 'secret-1' });
    expect(started.code).toBe(1001);

    const statuses: unknown[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await client.call('domain.info', { domain: 'taken-shop.de' })).resData?.status);
    expect(statuses).toEqual(['TRANSFER PENDING', 'TRANSFER PENDING', 'OK']);
  });

  it('fails a transfer with auth code `wrong`: domain.info answers 2303', async () => {
    await client.call('domain.transfer', { domain: 'taken-other.de', authCode: 'wrong' });

    const err = await rejection(client.call('domain.info', { domain: 'taken-other.de' }));
    expect(err).toMatchObject({ transient: false, code: 2303 });
    const notRegistered = await rejection(
      client.call('domain.transfer', { domain: 'free-name.de', authCode: 'x' }),
    );
    expect(notRegistered.code).toBe(2303);
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
