import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { InwxClient } from '../../shared/integrations/inwx/inwx-client.js';
import { api, orderBody, startTestStack, waitForStatus } from './support/api.js';
import { projectItemWriter } from './support/project-item.js';

// domain-sync's daily part, as staff would see it: a live domain renewed or switched to another
// renewal mode at INWX shows the new expiry from the first run of the next day, and a live domain
// that left our INWX account reaches staff by mail, once a day.

let stack: LocalStack;
let call: ReturnType<typeof api>['call'];
let staff: string;
let items: ReturnType<typeof projectItemWriter>;
let inwx: InwxClient;

beforeAll(async () => {
  process.env.VRS_SIM_REGISTRATION_SECONDS = '0.3';
  stack = await startTestStack();
  ({ call } = api(stack));
  staff = await stack.token('domains@vrs.gmbh', 'staff');
  items = projectItemWriter(stack);
  inwx = new InwxClient({ url: `${stack.url}/sim/inwx/xmlrpc/`, user: 'test', pass: 'test' });
});
afterAll(async () => {
  await inwx?.logout();
  items?.close();
  await stack?.stop();
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field in the test
type Json = Record<string, any>;
const DOMAIN = 'jahreswechsel.de';
const dayLater = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const domainSync = async (now: string) =>
  (await call<{ result: Json }>('POST', '/local/jobs/domain-sync', { body: { now } })).body.result;
const liveDomain = async (id: string) =>
  ((await call<Json>('GET', `/v1/projects/${id}`, { token: staff })).body.domains as Json[]).find(
    (d) => d.domain === DOMAIN,
  );

let id: string;

describe('the daily refresh', () => {
  it('brings a renewal and a new renewal mode at INWX into the project from the next day on', async () => {
    // A domain already in our account, ordered as `owned` and attached.
    const holder = await inwx.ensureContact({
      type: 'PERSON',
      name: 'Jana Wechsel',
      street: 'Ring 2',
      city: 'Kiel',
      postalCode: '24103',
      countryCode: 'DE',
      email: 'jana@example.com',
      phone: '+49 431 123456',
    });
    const roles = { registrant: holder, admin: holder, tech: holder, billing: holder };
    await inwx.createDomain({ domain: DOMAIN, period: '1Y', ...roles });
    await new Promise((r) => setTimeout(r, 400));
    await stack.runJob('domain-sync');
    const res = await call<Json>('POST', '/v1/projects', {
      token: staff,
      body: orderBody('unused', { name: 'Jahreswechsel', domain: { type: 'owned', domain: DOMAIN } }),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    id = res.body.project.id;
    await waitForStatus(stack, staff, id, ['active'], 30_000);
    for (const deadline = Date.now() + 20_000; (await liveDomain(id))?.status !== 'active'; ) {
      if (Date.now() > deadline) throw new Error(`${DOMAIN} did not become active`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // Today's refresh is done (whichever run did it): nothing changes today any more.
    await domainSync(new Date().toISOString());
    const before = (await liveDomain(id))!.expiresAt as string;
    expect(before).toMatch(/^20\d\d-/);

    // Staff renew the domain for a year and switch it to AUTODELETE, at INWX.
    const renewed = await inwx.call('domain.renew', {
      domain: DOMAIN,
      period: '1Y',
      expiration: before.slice(0, 10),
    });
    expect(renewed.code).toBe(1000);
    await inwx.call('domain.update', { domain: DOMAIN, renewalMode: 'AUTODELETE' });
    const sameDay = await domainSync(new Date().toISOString());
    expect(sameDay).toMatchObject({ daily: false, refreshed: 0 });
    expect((await liveDomain(id))!.expiresAt).toBe(before);

    const nextDay = await domainSync(dayLater(1));
    expect(nextDay).toMatchObject({ daily: true, refreshed: 1, missingAtRegistry: 0 });
    const after = new Date(before);
    after.setUTCFullYear(after.getUTCFullYear() + 1);
    expect((await liveDomain(id))!.expiresAt).toBe(after.toISOString());
    expect(await items.domain(id, DOMAIN)).toMatchObject({ renewalMode: 'AUTODELETE', status: 'active' });

    // Once a day: the same day's next run changes nothing.
    expect(await domainSync(dayLater(1))).toMatchObject({ daily: false, refreshed: 0 });
  });

  it('mails staff the live domains our INWX account no longer lists, once a day', async () => {
    expect((await inwx.call('domain.delete', { domain: DOMAIN })).code).toBe(1000);
    const subject = (m: { subject: string }) => m.subject.startsWith('Domains fehlen im INWX-Konto');

    expect(await domainSync(dayLater(2))).toMatchObject({ daily: true, missingAtRegistry: 1 });
    const mail = await stack.mailbox.waitFor((m) => m.to.includes('staff@vrs.gmbh') && subject(m));
    expect(mail.text).toContain(DOMAIN);
    expect(mail.text).toContain(id);

    expect(await domainSync(dayLater(2))).toMatchObject({ daily: false });
    expect(stack.mailbox.list().filter(subject)).toHaveLength(1);
    // The project stays as it is: what to do about the domain is staff's decision.
    expect(await liveDomain(id)).toMatchObject({ status: 'active', isPrimary: true });
  });
});
