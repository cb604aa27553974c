import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { api, startTestStack, waitForStatus } from './support/api.js';
import {
  domainApi,
  domainOf,
  expectAtInwxOnce,
  holdAtInwx,
  inwxClient,
  type Json,
  registrant,
} from './support/domains.js';

// Ordering a project with its own domain — registered, transferred or one we already hold — as the
// web UI would: the project goes live on its technical subdomain at once, then its domain is
// attached when the registry is done (the domain-sync job notices), and becomes the primary one.
// INWX faults while attaching: domain-faults.test.ts.

let stack: LocalStack;
let call: ReturnType<typeof api>['call'];
let staff: string;
let order: ReturnType<typeof domainApi>['order'];
let syncUntil: ReturnType<typeof domainApi>['syncUntil'];

beforeAll(async () => {
  process.env.VRS_SIM_REGISTRATION_SECONDS = '0.3';
  process.env.VRS_SIM_TRANSFER_SECONDS = '0.6';
  stack = await startTestStack();
  ({ call } = api(stack));
  staff = await stack.token('domains@vrs.gmbh', 'staff');
  ({ order, syncUntil } = domainApi(stack, staff));
});
afterAll(async () => {
  await stack?.stop();
});

describe('a registered domain', () => {
  let id: string;

  it('is ordered with its registrant; the project goes live on its technical subdomain at once', async () => {
    const res = await order({ type: 'register', domain: 'mueller-bau.de', registrant });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    id = res.body.project.id;
    expect(res.body.project.domains).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ domain: 'mueller-bau.vrs.gmbh', type: 'subdomain', isPrimary: true }),
        expect.objectContaining({
          domain: 'mueller-bau.de',
          type: 'registered',
          status: 'pending_registration',
          isPrimary: false,
        }),
      ]),
    );
    const live = await waitForStatus(stack, staff, id, ['active', 'error'], 30_000);
    expect(live.status).toBe('active');
    expect(domainOf(live, 'mueller-bau.vrs.gmbh')).toMatchObject({ status: 'active', isPrimary: true });
  });

  it('is registered at INWX, set up in DNS and on the application, then becomes the primary domain', async () => {
    const project = await syncUntil(id, 'mueller-bau.de', ['active', 'failed']);
    expect(domainOf(project, 'mueller-bau.de')).toMatchObject({
      status: 'active',
      isPrimary: true,
      failureReason: null,
    });
    expect(domainOf(project, 'mueller-bau.de')?.expiresAt).toMatch(/^20\d\d-/);
    expect(domainOf(project, 'mueller-bau.vrs.gmbh')).toMatchObject({ status: 'active', isPrimary: false });

    expectAtInwxOnce(stack, 'mueller-bau.de', '203.0.113.10', registrant.email);
    const app = stack.coolify.applications().find((a) => a.name === `vrs-${id}`)!;
    expect((app.fqdn ?? '').split(',').sort()).toEqual(
      ['https://mueller-bau.de', 'https://mueller-bau.vrs.gmbh', 'https://www.mueller-bau.de'].sort(),
    );
    const apiKey = app.envs.find((e) => e.key === 'VRS_MARKETPLACE_KEY')!.value!;
    const config = await call<Json>('GET', `/v1/projects/${id}/config`, { apiKey });
    expect(config.body.primaryDomain).toBe('mueller-bau.de');
    const mail = await stack.mailbox.waitFor((m) => m.subject.includes('mueller-bau.de'));
    expect(mail.to).toContain('owner@example.com');
  });

  it('can hand the primary role back to the technical subdomain and take it again', async () => {
    const toSubdomain = await call<Json>('POST', `/v1/projects/${id}/domains/mueller-bau.vrs.gmbh/primary`, {
      token: staff,
    });
    expect(toSubdomain.status).toBe(200);
    expect(domainOf(toSubdomain.body, 'mueller-bau.vrs.gmbh')?.isPrimary).toBe(true);
    expect(domainOf(toSubdomain.body, 'mueller-bau.de')?.isPrimary).toBe(false);
    const back = await call<Json>('POST', `/v1/projects/${id}/domains/mueller-bau.de/primary`, {
      token: staff,
    });
    expect(domainOf(back.body, 'mueller-bau.de')?.isPrimary).toBe(true);
    expect(
      (await call('POST', `/v1/projects/${id}/domains/unbekannt.de/primary`, { token: staff })).status,
    ).toBe(404);
  });

  it('is refused for every other project (409), and the order writes nothing', async () => {
    const before = (await call<Json>('GET', '/v1/projects', { token: staff })).body.items.length;
    const res = await order({ type: 'register', domain: 'mueller-bau.de', registrant }, 'Zweiter Versuch');
    expect(res.status).toBe(409);
    expect(res.body.errors[0].path).toBe('domain.domain');
    expect((await call<Json>('GET', '/v1/projects', { token: staff })).body.items.length).toBe(before);
  });
});

describe('a transferred domain', () => {
  it('goes live after the transfer, and the owner hears "transfer complete"; the auth code is stored encrypted', async () => {
    const res = await order(
      { type: 'transfer', domain: 'taken-fruehstueck.de', authCode: 'Gut-Code-123!' },
      'Frühstück',
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const id = res.body.project.id as string;
    expect(JSON.stringify(res.body)).not.toContain('Gut-Code-123!');
    await waitForStatus(stack, staff, id, ['active'], 30_000);
    const project = await syncUntil(id, 'taken-fruehstueck.de', ['active', 'failed']);
    expect(domainOf(project, 'taken-fruehstueck.de')).toMatchObject({ status: 'active', isPrimary: true });
    const mail = await stack.mailbox.waitFor((m) =>
      m.subject.includes('Transfer abgeschlossen: taken-fruehstueck.de'),
    );
    expect(mail.text).not.toContain('Gut-Code-123!');
    const logs = await call<Json>('GET', `/v1/projects/${id}/logs`, { token: staff });
    expect(JSON.stringify(logs.body)).not.toContain('Gut-Code-123!');
  });

  it('with a wrong auth code fails the domain with what to do, mails owner and staff, and the project stays live', async () => {
    const res = await order(
      { type: 'transfer', domain: 'taken-spielwaren.de', authCode: 'wrong' },
      'Spielwaren',
    );
    const id = res.body.project.id as string;
    await waitForStatus(stack, staff, id, ['active'], 30_000);
    const project = await syncUntil(id, 'taken-spielwaren.de', ['failed', 'active']);
    expect(project.status).toBe('active');
    expect(domainOf(project, 'taken-spielwaren.de')).toMatchObject({
      status: 'failed',
      isPrimary: false,
      failureReason: expect.stringMatching(/auth code/),
    });
    expect(domainOf(project, 'taken-spielwaren.vrs.gmbh')).toMatchObject({
      status: 'active',
      isPrimary: true,
    });
    await stack.mailbox.waitFor(
      (m) => m.to.includes('owner@example.com') && m.subject.includes('taken-spielwaren.de'),
    );
    await stack.mailbox.waitFor(
      (m) => m.to.includes('staff@vrs.gmbh') && m.subject.includes('taken-spielwaren.de'),
    );
  });
});

describe('a domain we already hold', () => {
  it('is attached without registering anything; records that already match are reused', async () => {
    await holdAtInwx(stack, 'steuerberater.tel');
    const inwx = inwxClient(stack);
    await inwx.createZone('steuerberater.tel');
    await inwx.createRecord({
      domain: 'steuerberater.tel',
      name: 'www.steuerberater.tel',
      type: 'CNAME',
      content: 'steuerberater.tel',
      ttl: 300,
    });
    await inwx.logout();
    const registeredBefore = stack.inwx.stats().calls['domain.create'] ?? 0;

    const res = await order({ type: 'owned', domain: 'steuerberater.tel' }, 'Steuerberater');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const id = res.body.project.id as string;
    await waitForStatus(stack, staff, id, ['active'], 30_000);
    const project = await syncUntil(id, 'steuerberater.tel', ['active', 'failed']);
    expect(domainOf(project, 'steuerberater.tel')).toMatchObject({ status: 'active', isPrimary: true });
    expect(stack.inwx.stats().calls['domain.create'] ?? 0).toBe(registeredBefore);
    expect(stack.inwx.records('steuerberater.tel').filter((r) => r.type === 'CNAME')).toHaveLength(1);
  });

  it('can be added to a live project later; it is attached as an alias, not made primary', async () => {
    await holdAtInwx(stack, 'kanzlei-zwei.tel');
    const res = await order({ type: 'subdomain', subdomain: 'kanzlei-basis' }, 'Kanzlei');
    const id = res.body.project.id as string;
    await waitForStatus(stack, staff, id, ['active'], 30_000);
    const added = await call<Json>('POST', `/v1/projects/${id}/domains`, {
      token: staff,
      body: { type: 'owned', domain: 'kanzlei-zwei.tel' },
    });
    expect(added.status, JSON.stringify(added.body)).toBe(202);
    expect(added.body.domain).toMatchObject({
      domain: 'kanzlei-zwei.tel',
      status: 'pending_dns',
      isPrimary: false,
    });
    const project = await syncUntil(id, 'kanzlei-zwei.tel', ['active', 'failed']);
    expect(domainOf(project, 'kanzlei-zwei.tel')).toMatchObject({ status: 'active', isPrimary: false });
    expect(domainOf(project, 'kanzlei-basis.vrs.gmbh')?.isPrimary).toBe(true);
  });

  it('that is not in our account is refused (422) before anything is written', async () => {
    const res = await order({ type: 'owned', domain: 'fremd-domain.de' }, 'Fremd');
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { path: 'domain.domain', message: expect.stringMatching(/not a domain we hold/) },
    ]);
  });
});

describe('bad domain orders', () => {
  it('get a 400 naming the field, and write nothing', async () => {
    const before = (await call<Json>('GET', '/v1/projects', { token: staff })).body.items.length;
    const cases: [Json, string][] = [
      [{ type: 'register', domain: 'neu.museum', registrant }, 'domain.domain'],
      [{ type: 'register', domain: `${'a'.repeat(64)}.de`, registrant }, 'domain.domain'],
      [{ type: 'transfer', domain: 'taken-x.de' }, 'domain.authCode'],
      [{ type: 'register', domain: 'frei-neu.de' }, 'domain.registrant'],
      [
        { type: 'register', domain: 'frei-neu.de', registrant: { ...registrant, phone: '12345' } },
        'domain.registrant.phone',
      ],
    ];
    for (const [domain, path] of cases) {
      const res = await order(domain, 'Falsch');
      expect(res.status, JSON.stringify(domain)).toBe(400);
      expect(
        res.body.errors.map((e: Json) => e.path),
        JSON.stringify(domain),
      ).toContain(path);
    }
    expect((await call<Json>('GET', '/v1/projects', { token: staff })).body.items.length).toBe(before);
  });
});
