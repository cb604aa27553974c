import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { awsClientOptions } from '../../shared/platform/aws-client-options.js';
import { api, orderBody, startTestStack, waitForStatus } from './support/api.js';
import { domainApi, domainOf, type Json, registrant, sleep } from './support/domains.js';
import { deliverToWebhook } from './support/stripe.js';

// Demo projects and their takeover on the local runtime, as staff, the new owner and the satellite
// see it: staff build a demo (free, behind preview protection, optionally cloned); a customer
// takes it over by invoice with their own domain, or by card once the Checkout is paid; the flow
// moves ownership, billing and licenses, switches protection off, attaches the domain and mails the
// new owner — once, however often it is asked. A takeover of anything but a live demo is a 409.

let stack: LocalStack;
let call: ReturnType<typeof api>['call'];
let staff: string;
let customer: string;
let syncUntil: ReturnType<typeof domainApi>['syncUntil'];

beforeAll(async () => {
  process.env.VRS_SIM_REGISTRATION_SECONDS = '0.3';
  stack = await startTestStack();
  ({ call } = api(stack));
  staff = await stack.token('demo@vrs.gmbh', 'staff');
  customer = await stack.token('kunde@example.com', 'customer');
  ({ syncUntil } = domainApi(stack, staff));
});
afterAll(async () => {
  await stack?.stop();
});

const demoBody = (subdomain: string, extra: Record<string, unknown> = {}) =>
  orderBody(subdomain, {
    name: `Demo ${subdomain}`,
    isDemo: true,
    paymentMethod: 'free',
    ownerEmail: 'demo@vrs.gmbh',
    billingEmail: 'demo@vrs.gmbh',
    ...extra,
  });

async function liveDemo(subdomain: string, extra: Record<string, unknown> = {}): Promise<Json> {
  const res = await call<Json>('POST', '/v1/projects', { token: staff, body: demoBody(subdomain, extra) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return waitForStatus(stack, staff, res.body.project.id, ['active', 'error'], 120_000);
}

const takeover = (id: string, body: unknown) =>
  call<Json>('POST', `/v1/admin/projects/${id}/takeover`, { token: staff, body });
const project = async (id: string) => (await call<Json>('GET', `/v1/projects/${id}`, { token: staff })).body;
const takeoverRuns = async (id: string) =>
  (
    await stack.stepFunctions.listExecutions({ stateMachineArn: stack.stateMachineArns['takeover-project'] })
  ).executions.filter((e) => e.name.startsWith(id));
const keyOf = (id: string) =>
  stack.coolify
    .applications()
    .find((app) => app.envs.some((e) => e.key === 'VRS_PROJECT_ID' && e.value === id))
    ?.envs.find((e) => e.key === 'VRS_MARKETPLACE_KEY')?.value ?? '';
/** A page of the demo's site, as the simulated satellite serves it. */
const page = (p: Json, query = '') =>
  fetch(`${stack.url}/sim/satellites/${(p.domains as Json[])[0]!.domain}/site/?${query}`);
const satelliteConfig = async (id: string) =>
  (await call<Json>('GET', `/v1/projects/${id}/config`, { apiKey: keyOf(id) })).body;

/** Polls the project (as staff) until `done` holds. */
async function projectWhen(id: string, done: (p: Json) => boolean, what: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const p = await project(id);
    if (done(p)) return p;
    if (Date.now() > deadline)
      throw new Error(`${what} not seen within ${timeoutMs} ms: ${JSON.stringify(p)}`);
    await sleep(200);
  }
}

const takenOver = (id: string, owner: string) =>
  projectWhen(
    id,
    (p) => p.isDemo === false && p.ownerEmail === owner && p.lifecycleRequest === null,
    `takeover of ${id} by ${owner}`,
  );

describe('a demo project', () => {
  let demo: Json;

  it('is ordered by staff: free, live, behind preview protection', async () => {
    demo = await liveDemo('demo-mueller');
    expect(demo).toMatchObject({
      status: 'active',
      isDemo: true,
      previewProtection: true,
      paymentMethod: 'free',
      clonedFromProjectId: null,
    });
    expect((await satelliteConfig(demo.id)).previewProtection).toBe(true);
  });

  it('is refused to customers and needs the free payment method; only demos are cloned', async () => {
    const count = async () =>
      (
        await Promise.all(
          ['demo@vrs.gmbh', 'kunde@example.com'].map(
            async (owner) =>
              (
                await call<Json>('GET', `/v1/admin/projects?owner=${owner}`, { token: staff })
              ).body.items.length,
          ),
        )
      ).reduce((a: number, b: number) => a + b, 0);
    const before = await count();
    const byCustomer = await call<Json>('POST', '/v1/projects', {
      token: customer,
      body: { ...demoBody('demo-kunde'), ownerEmail: undefined, paymentMethod: 'stripe_prepaid' },
    });
    expect(byCustomer.status).toBe(403);
    expect(byCustomer.body.errors).toEqual([{ path: 'isDemo', message: 'only staff and admins may set it' }]);

    const invoiced = await call<Json>('POST', '/v1/projects', {
      token: staff,
      body: demoBody('demo-rechnung', { paymentMethod: 'invoice' }),
    });
    expect(invoiced.status).toBe(400);
    expect(invoiced.body.errors.map((e: Json) => e.path)).toEqual(['paymentMethod']);

    const cloneOfNothing = await call<Json>('POST', '/v1/projects', {
      token: staff,
      body: demoBody('demo-nichts', { clonedFromProjectId: '00000000-0000-4000-8000-000000000000' }),
    });
    expect(cloneOfNothing.status).toBe(400);
    expect(cloneOfNothing.body.errors.map((e: Json) => e.path)).toEqual(['clonedFromProjectId']);

    const notADemo = await call<Json>('POST', '/v1/projects', {
      token: staff,
      body: orderBody('kein-demo', { clonedFromProjectId: demo.id }),
    });
    expect(notADemo.status).toBe(400);
    expect(notADemo.body.errors.map((e: Json) => e.path)).toEqual(['clonedFromProjectId']);
    expect(await count()).toBe(before);
  });

  it('is cloned with its source plugins', async () => {
    const res = await call<Json>('POST', '/v1/projects', {
      token: staff,
      body: {
        ...demoBody('demo-klon', { clonedFromProjectId: demo.id }),
        bundle: undefined,
        plugins: undefined,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.project).toMatchObject({ isDemo: true, clonedFromProjectId: demo.id });
    const plugins = (p: Json) => (p.licenses as Json[]).map((l) => l.plugin).sort();
    expect(plugins(res.body.project)).toEqual(plugins(demo));
  });
});

describe('a takeover by invoice with the customer’s own domain', () => {
  let demo: Json;
  let newOwner: string;

  beforeAll(async () => {
    demo = await liveDemo('demo-steuer');
    newOwner = await stack.token('neu@example.com', 'customer');
  }, 180_000);

  it('is refused for a project that is not a demo, and changes nothing', async () => {
    const res = await call<Json>('POST', '/v1/projects', { token: staff, body: orderBody('echt-kein-demo') });
    const id = res.body.project.id as string;
    await waitForStatus(stack, staff, id, ['active', 'error'], 120_000);
    const refused = await takeover(id, { ownerEmail: 'neu@example.com', paymentMethod: 'invoice' });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(await project(id)).toMatchObject({ ownerEmail: 'owner@example.com', lifecycleRequest: null });
    expect(await takeoverRuns(id)).toEqual([]);
  }, 180_000);

  it('rejects bad input naming every field, and changes nothing', async () => {
    const res = await takeover(demo.id, { ownerEmail: 'keine-adresse', paymentMethod: 'bar', extra: 1 });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: Json) => e.path).sort()).toEqual(['extra', 'ownerEmail', 'paymentMethod']);
    expect(await project(demo.id)).toMatchObject({ isDemo: true, lifecycleRequest: null });
  });

  it('sits behind the preview login until then: a preview code opens it, search engines are kept out', async () => {
    const closed = await page(demo);
    expect(closed.status).toBe(401);
    expect(closed.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    const access = await call<Json>('POST', `/v1/admin/projects/${demo.id}/preview-accesses`, {
      token: staff,
      body: { name: 'Interessent' },
    });
    expect(access.status).toBe(201);
    const open = await page(demo, `vrs_code=${access.body.code}`);
    expect(open.status).toBe(200);
    expect(open.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    expect((await page(demo, `vrs_preview=${access.body.token}`)).status).toBe(200);
  });

  it('moves ownership, billing and licenses, switches protection off and mails the new owner — once', async () => {
    const body = {
      ownerEmail: 'neu@example.com',
      paymentMethod: 'invoice',
      billingEmail: 'rechnung@example.com',
      domain: { type: 'register', domain: 'steuer-neu.de', registrant },
    };
    const [first, second] = await Promise.all([takeover(demo.id, body), takeover(demo.id, body)]);
    expect([first.status, second.status], JSON.stringify([first.body, second.body])).toEqual([202, 202]);
    expect(first.body.checkoutUrl).toBeNull();

    const after = await takenOver(demo.id, 'neu@example.com');
    expect(after).toMatchObject({
      status: 'active',
      paymentMethod: 'invoice',
      billingEmail: 'rechnung@example.com',
      previewProtection: false,
      previousOwnerEmail: 'demo@vrs.gmbh',
    });
    for (const l of after.licenses as Json[]) expect(l.status).toBe('active');
    expect(await takeoverRuns(demo.id)).toHaveLength(1);

    // The new owner sees it as theirs; the satellite learns that protection is off.
    const own = await call<Json>('GET', '/v1/projects', { token: newOwner });
    expect(own.body.items.map((p: Json) => p.id)).toContain(demo.id);
    expect((await satelliteConfig(demo.id)).previewProtection).toBe(false);
    const open = await page(demo);
    expect(open.status).toBe(200);
    expect(open.headers.get('x-robots-tag')).toBeNull();

    const mail = await stack.mailbox.waitFor(
      (m) => m.to.includes('neu@example.com') && m.subject.includes('gehört jetzt Ihnen'),
      20_000,
    );
    expect(mail.text).toContain('auf Rechnung');
    expect(mail.text).toContain('steuer-neu.de');
    await new Promise((r) => setTimeout(r, 1000));
    expect(stack.mailbox.list().filter((m) => m.subject.includes('gehört jetzt Ihnen'))).toHaveLength(1);

    const logs = (await call<Json>('GET', `/v1/projects/${demo.id}/logs`, { token: staff })).body.items;
    expect(logs.filter((l: Json) => l.action === 'taken_over')).toHaveLength(1);

    // Staff's look into it: where it runs, and its executions as Step Functions sees them.
    const details = await call<Json>('GET', `/v1/admin/projects/${demo.id}`, { token: staff });
    expect(details.status).toBe(200);
    expect(details.body).toMatchObject({
      ownerEmail: 'neu@example.com',
      server: { id: after.serverId, ipAddress: expect.any(String) },
      coolify: { applicationUuid: after.coolifyApplicationUuid },
      execution: { executionArn: after.executionArn, status: 'SUCCEEDED' },
      lifecycleExecution: null,
    });
    expect(details.body.inwx).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          domain: `demo-steuer.vrs.gmbh`,
          inwxRecordIds: expect.objectContaining({}),
        }),
      ]),
    );
    expect((await call('GET', `/v1/admin/projects/${demo.id}`, { token: newOwner })).status).toBe(403);
  });

  it('attaches the customer’s domain through the attach-domain flow; it becomes primary', async () => {
    const p = await syncUntil(demo.id, 'steuer-neu.de', ['active', 'failed']);
    expect(domainOf(p, 'steuer-neu.de')).toMatchObject({
      type: 'registered',
      status: 'active',
      isPrimary: true,
    });
  }, 90_000);

  it('is a 409 once the project is no demo any more', async () => {
    const again = await takeover(demo.id, { ownerEmail: 'dritter@example.com', paymentMethod: 'free' });
    expect(again.status).toBe(409);
    expect((await project(demo.id)).ownerEmail).toBe('neu@example.com');
  });
});

describe('a takeover by card', () => {
  let demo: Json;
  const body = { ownerEmail: 'karte@example.com', paymentMethod: 'stripe_prepaid' };

  beforeAll(async () => {
    demo = await liveDemo('demo-karte');
  }, 180_000);

  it('answers with a Checkout URL and changes nothing before payment; asking again answers the same', async () => {
    const res = await takeover(demo.id, body);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.checkoutUrl).toMatch(/\/sim\/stripe\/checkout\/cs_test_/);
    expect(res.body.project).toMatchObject({
      isDemo: true,
      ownerEmail: 'demo@vrs.gmbh',
      pendingTakeover: { ownerEmail: 'karte@example.com', paymentMethod: 'stripe_prepaid' },
    });
    expect((await takeover(demo.id, body)).body.checkoutUrl).toBe(res.body.checkoutUrl);
    const other = await takeover(demo.id, { ownerEmail: 'andere@example.com', paymentMethod: 'invoice' });
    expect(other.status).toBe(409);
    expect(await takeoverRuns(demo.id)).toEqual([]);
  });

  it('runs once the Checkout is paid — once, however often Stripe delivers the event', async () => {
    const url = (await project(demo.id)).pendingTakeover.checkoutUrl as string;
    const paid = await fetch(`${url}/complete`, { method: 'POST' });
    expect(paid.status).toBeLessThan(300);
    const after = await takenOver(demo.id, 'karte@example.com');
    expect(after).toMatchObject({
      paymentMethod: 'stripe_prepaid',
      previewProtection: false,
      pendingTakeover: null,
    });
    for (const l of after.licenses as Json[]) expect(l).toMatchObject({ status: 'active' });
    await stack.stripe.deliveriesSettled();
    const event = stack.stripe
      .events()
      .find(
        (e) =>
          e.type === 'checkout.session.completed' && (e.data.object as Json).client_reference_id === demo.id,
      )!;
    const answers = await Promise.all(
      Array.from({ length: 3 }, () => deliverToWebhook(stack, JSON.stringify(event))),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(await takeoverRuns(demo.id)).toHaveLength(1);
    const logs = (await call<Json>('GET', `/v1/projects/${demo.id}/logs`, { token: staff })).body.items;
    expect(logs.filter((l: Json) => l.action === 'taken_over')).toHaveLength(1);
  });
});

describe('a takeover by card nobody pays', () => {
  it('lapses when its Checkout expires: the demo stays, and staff may ask again', async () => {
    const demo = await liveDemo('demo-verfall');
    const res = await takeover(demo.id, {
      ownerEmail: 'zoegert@example.com',
      paymentMethod: 'stripe_prepaid',
    });
    expect(res.status).toBe(202);
    const session = stack.stripe
      .checkoutSessions()
      .find((s) => s.client_reference_id === demo.id && s.status === 'open')!;
    await fetch(`${stack.url}/sim/stripe/local/checkout/sessions/${session.id}/expire`, { method: 'POST' });
    const last = await projectWhen(
      demo.id,
      (p) => p.pendingTakeover === null,
      'the takeover to lapse',
      20_000,
    );
    expect(last).toMatchObject({ isDemo: true, ownerEmail: 'demo@vrs.gmbh', previewProtection: true });
    const logs = (await call<Json>('GET', `/v1/projects/${demo.id}/logs`, { token: staff })).body.items;
    expect(logs.map((l: Json) => l.action)).toContain('takeover_lapsed');
    const again = await takeover(demo.id, {
      ownerEmail: 'entschieden@example.com',
      paymentMethod: 'stripe_prepaid',
    });
    expect(again.status).toBe(202);
    expect(again.body.checkoutUrl).not.toBe(res.body.checkoutUrl);
  }, 180_000);
});

describe('a takeover that fails at its last step', () => {
  it('stops for staff with the project taken over; asking again redrives it, and the owner is mailed once', async () => {
    const demo = await liveDemo('demo-stoerung');
    // Every SendEmail attempt of NotifyOwner fails (the SDK's attempts in each task attempt); the
    // staff mail about the failure goes through.
    const asl = JSON.parse(
      readFileSync(new URL('../../state-machines/takeover-project.asl.json', import.meta.url), 'utf8'),
    ) as { States: { NotifyOwner: { Retry: { MaxAttempts: number }[] } } };
    const taskAttempts = 1 + asl.States.NotifyOwner.Retry[0]!.MaxAttempts;
    await call('POST', '/sim/faults', {
      body: {
        service: 'mail',
        operation: 'SendEmail',
        mode: 'http_500',
        times: awsClientOptions.maxAttempts * taskAttempts,
      },
    });
    const body = { ownerEmail: 'stoerung@example.com', paymentMethod: 'free' };
    expect((await takeover(demo.id, body)).status).toBe(202);
    const alarm = await stack.mailbox.waitFor(
      (m) => m.to.includes('staff@vrs.gmbh') && m.subject === `Übernahme fehlgeschlagen: ${demo.name}`,
      30_000,
    );
    const during = await project(demo.id);
    expect(alarm.text).toContain(during.lifecycleRequest.executionArn);
    expect(during).toMatchObject({ isDemo: false, ownerEmail: 'stoerung@example.com' });
    const ownerMails = () =>
      stack.mailbox
        .list()
        .filter((m) => m.to.includes('stoerung@example.com') && m.subject.includes('gehört jetzt Ihnen'));
    expect(ownerMails()).toHaveLength(0);

    await call('DELETE', '/sim/faults');
    expect((await takeover(demo.id, body)).status).toBe(202);
    const done = await takenOver(demo.id, 'stoerung@example.com');
    expect(done.lifecycleRequest).toBeNull();
    expect(ownerMails()).toHaveLength(1);
    expect(await takeoverRuns(demo.id)).toHaveLength(1);
    const logs = (await call<Json>('GET', `/v1/projects/${demo.id}/logs`, { token: staff })).body.items;
    expect(logs.filter((l: Json) => l.action === 'taken_over')).toHaveLength(1);
    expect(logs.map((l: Json) => l.action)).toEqual(
      expect.arrayContaining(['lifecycle_failed', 'lifecycle_retry']),
    );
  }, 180_000);
});
