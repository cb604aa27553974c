import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { getServer } from '../../shared/servers/servers-table.js';
import { api, orderBody, startTestStack, waitForStatus } from './support/api.js';
import { type Json, until } from './support/domains.js';
import { deliverToWebhook } from './support/stripe.js';

// Billing on the local runtime, as a customer and Stripe would drive it: a subscription renews and
// its licenses run on; a failed payment brings the payment-failed mail, the final warning within
// the last day of grace and the suspension at its end (application stopped, key refused); a later
// payment resumes the project; a cancelled subscription archives it; a trial's reminders are sent
// once each. The billing job is run with `now` to jump in time.

let stack: LocalStack;
let call: ReturnType<typeof api>['call'];
let staff: string;
let customer: string;
const DAY = 86_400_000;

beforeAll(async () => {
  // The jobs run only when a test says so (with its `now`).
  stack = await startTestStack({ jobIntervalMs: 0 });
  Object.assign(process.env, stack.environmentOf('api/import-project'));
  ({ call } = api(stack));
  staff = await stack.token('staff@vrs.gmbh', 'staff');
  customer = await stack.token('abo-kunde@example.com', 'customer');
});
afterAll(async () => {
  if (stack) await until(() => stack.satellites.list().every((s) => s.state !== 'bootstrapping'), 10_000);
  await stack?.stop();
});

const getProject = async (id: string) =>
  (await call<Json>('GET', `/v1/projects/${id}`, { token: staff })).body;
const logActions = async (id: string) =>
  ((await call<Json>('GET', `/v1/projects/${id}/logs?limit=200`, { token: staff })).body.items as Json[]).map(
    (l) => l.action as string,
  );
const billingJob = async (now: Date): Promise<Json> => {
  const res = await call<{ result: Json }>('POST', '/local/jobs/billing-daily', {
    body: { now: now.toISOString() },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.result;
};
const mails = (to: string, subject: string) =>
  stack.mailbox.list().filter((m) => m.to.includes(to) && m.subject.includes(subject));
const appOf = (id: string) =>
  stack.coolify.applications().find((a) => a.envs.some((e) => e.key === 'VRS_PROJECT_ID' && e.value === id));
const keyOf = (id: string) => appOf(id)?.envs.find((e) => e.key === 'VRS_MARKETPLACE_KEY')?.value ?? '';
const configWithKey = async (id: string, key: string) =>
  (await call('GET', `/v1/projects/${id}/config`, { apiKey: key })).status;
const subscriptionOf = (id: string) =>
  stack.stripe.subscriptions().find((s) => s.metadata?.projectId === id)!;
const stripeHelper = async (id: string, action: 'pay' | 'fail' | 'cancel') => {
  const res = await fetch(`${stack.url}/sim/stripe/local/subscriptions/${subscriptionOf(id).id}/${action}`, {
    method: 'POST',
  });
  expect(res.status, await res.clone().text()).toBe(200);
  await stack.stripe.deliveriesSettled();
};
const provisionRuns = async (id: string) =>
  (
    await stack.stepFunctions.listExecutions({
      stateMachineArn: stack.stateMachineArns['provision-subdomain'],
    })
  ).executions.filter((e) => e.name.startsWith(id));
/** The project's lifecycle executions of `flow`, by name. */
const runs = async (id: string, flow: 'suspend-project' | 'resume-project' | 'archive-project') =>
  (
    await stack.stepFunctions.listExecutions({ stateMachineArn: stack.stateMachineArns[flow] })
  ).executions.filter((e) => e.name.startsWith(id));
async function settled(id: string, flow: 'suspend-project' | 'resume-project' | 'archive-project') {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [run] = await runs(id, flow);
    if (run) {
      const done = await stack.stepFunctions.waitForExecution(run.executionArn, 30_000);
      expect(done.status, `${done.error ?? ''} ${done.cause ?? ''}`).toBe('SUCCEEDED');
      return;
    }
    if (Date.now() > deadline) throw new Error(`no ${flow} execution for ${id}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A customer orders with a Stripe subscription and pays in the simulated checkout. */
async function paidSubscription(subdomain: string, name: string, extra: Json = {}): Promise<string> {
  const res = await call<Json>('POST', '/v1/projects', {
    token: customer,
    body: orderBody(subdomain, {
      name,
      ownerEmail: undefined,
      paymentMethod: 'stripe_subscription',
      billingEmail: `${subdomain}@example.com`,
      ...extra,
    }),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const id = res.body.project.id as string;
  expect((await fetch(`${res.body.checkoutUrl}/complete`, { method: 'POST' })).status).toBeLessThan(300);
  await waitForStatus(stack, customer, id, ['active'], 60_000);
  await until(
    () => stack.satellites.list().find((s) => s.projectId === id)?.state === 'healthy',
    10_000,
    `${name}'s satellite healthy`,
  );
  await stack.stripe.deliveriesSettled();
  return id;
}

const noTrial = { projectType: 'city_server', bundle: undefined, plugins: ['kontakt'] };

describe('a subscription that renews, fails, is suspended and paid again', () => {
  const name = 'Abo Kanzlei';
  const billing = 'abo-kanzlei@example.com';
  let id: string;
  let key: string;
  let firstExpiry: string;
  let graceEndsAt: number;

  beforeAll(async () => {
    id = await paidSubscription('abo-kanzlei', name, noTrial);
    key = keyOf(id);
    firstExpiry = (await getProject(id)).licenses[0].expiresAt;
  });

  it('a renewal extends the licenses to the new period, once however often Stripe sends it', async () => {
    await stripeHelper(id, 'pay');
    const project = await getProject(id);
    const period = subscriptionOf(id).items.data[0]!.current_period_end * 1000;
    expect(project.licenses).toEqual([
      expect.objectContaining({
        plugin: 'kontakt',
        status: 'active',
        expiresAt: new Date(period).toISOString(),
      }),
    ]);
    expect(Date.parse(project.licenses[0].expiresAt)).toBeGreaterThan(Date.parse(firstExpiry) + 20 * DAY);
    // The paid event five times at once: no second extension, no second log entry.
    const paid = stack.stripe
      .events()
      .find(
        (e) => e.type === 'invoice.paid' && (e.data.object as Json).billing_reason === 'subscription_cycle',
      )!;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => deliverToWebhook(stack, JSON.stringify(paid))),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect((await logActions(id)).filter((a) => a === 'payment_received')).toHaveLength(2);
  });

  it('a failed payment mails the billing contact and keeps the site running through the grace', async () => {
    await stripeHelper(id, 'fail');
    expect(mails(billing, 'fehlgeschlagen')).toHaveLength(1);
    expect(await logActions(id)).toContain('payment_failed');
    expect((await getProject(id)).status).toBe('active');
    expect(await configWithKey(id, key)).toBe(200);
    graceEndsAt = Date.now() + 7 * DAY;
    // A second failed attempt keeps the first grace and mails nothing new.
    await stripeHelper(id, 'fail');
    expect(mails(billing, 'fehlgeschlagen')).toHaveLength(1);
  });

  it('warns once within the last day of grace', async () => {
    await billingJob(new Date(graceEndsAt - 2 * DAY));
    expect(mails(billing, 'Letzte Erinnerung')).toHaveLength(0);
    await billingJob(new Date(graceEndsAt - DAY / 2));
    await billingJob(new Date(graceEndsAt - DAY / 4));
    expect(mails(billing, 'Letzte Erinnerung')).toHaveLength(1);
    expect((await getProject(id)).status).toBe('active');
  });

  it('suspends at the end of grace: application stopped, key refused, owner told', async () => {
    const result = await billingJob(new Date(graceEndsAt + 3_600_000));
    expect(result.done).toMatchObject({ suspend: 1 });
    await settled(id, 'suspend-project');
    const project = await getProject(id);
    expect(project.status).toBe('suspended');
    expect(project.suspensionReason).toMatch(/Zahlung ausstehend/);
    expect(project.licenses[0].status).toBe('suspended');
    expect(appOf(id)?.status).toBe('exited');
    expect(await configWithKey(id, key)).toBe(403);
    expect(mails('abo-kunde@example.com', 'gesperrt')).toEqual([
      expect.objectContaining({ text: expect.stringContaining('Zahlung ausstehend') }),
    ]);
    // Another run changes nothing: one suspension.
    await billingJob(new Date(graceEndsAt + 2 * 3_600_000));
    expect(await runs(id, 'suspend-project')).toHaveLength(1);
  });

  it('a payment after the suspension resumes the project and extends its licenses', async () => {
    await stripeHelper(id, 'pay');
    await settled(id, 'resume-project');
    const project = await getProject(id);
    expect(project.status).toBe('active');
    expect(project.licenses[0].status).toBe('active');
    expect(appOf(id)?.status).toMatch(/^running/);
    expect(await configWithKey(id, key)).toBe(200);
    // Nothing more is due: no warning, no archive later on.
    await billingJob(new Date(Date.now() + 40 * DAY));
    expect((await getProject(id)).status).toBe('active');
    expect(await runs(id, 'archive-project')).toHaveLength(0);
  });
});

describe('the events of a purchase, five times each, shuffled and at once', () => {
  it('provision once and create each license once', async () => {
    const res = await call<Json>('POST', '/v1/projects', {
      token: customer,
      body: orderBody('abo-durcheinander', {
        name: 'Abo Durcheinander',
        ownerEmail: undefined,
        paymentMethod: 'stripe_subscription',
        billingEmail: 'durcheinander@example.com',
        ...noTrial,
      }),
    });
    const id = res.body.project.id as string;
    expect((await fetch(`${res.body.checkoutUrl}/complete`, { method: 'POST' })).status).toBeLessThan(300);
    // Every event Stripe made for this purchase, while the simulator delivers them too.
    const subscription = subscriptionOf(id).id;
    const events = stack.stripe.events().filter((e) => {
      const text = JSON.stringify(e.data.object);
      return text.includes(id) || text.includes(subscription);
    });
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['checkout.session.completed', 'invoice.paid']),
    );
    const copies = events.flatMap((e) => Array.from({ length: 5 }, () => JSON.stringify(e)));
    for (let i = copies.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [copies[i], copies[j]] = [copies[j]!, copies[i]!];
    }
    const answers = await Promise.all(copies.map((c) => deliverToWebhook(stack, c)));
    expect(answers.map((a) => a.status)).toEqual(copies.map(() => 200));
    await waitForStatus(stack, customer, id, ['active'], 60_000);
    await stack.stripe.deliveriesSettled();
    expect(await provisionRuns(id)).toHaveLength(1);
    const logs = await logActions(id);
    expect(logs.filter((a) => a === 'payment_received')).toHaveLength(1);
    const project = await getProject(id);
    expect(project.licenses.map((l: Json) => [l.plugin, l.status])).toEqual([['kontakt', 'active']]);
    const history = await call<Json>('GET', `/v1/admin/projects/${id}/licenses/kontakt/history`, {
      token: staff,
    });
    expect(history.body.items.map((h: Json) => h.action)).toEqual(['created']);
  });
});

describe('a cancelled subscription', () => {
  it('archives the project: application and records gone, slot freed', async () => {
    const id = await paidSubscription('abo-gekuendigt', 'Abo Gekündigt', noTrial);
    const serverId = (await getProject(id)).serverId as string;
    const before = (await getServer(serverId))!.projectCount;
    const records = () => stack.inwx.records('vrs.gmbh').filter((r) => r.name.includes('abo-gekuendigt'));
    expect(records().length).toBeGreaterThan(0);

    await stripeHelper(id, 'cancel');
    await settled(id, 'archive-project');
    const project = await getProject(id);
    expect(project.status).toBe('archived');
    expect(project.licenses.map((l: Json) => l.status)).toEqual(['cancelled']);
    expect(appOf(id)).toBeUndefined();
    expect(records()).toEqual([]);
    expect((await getServer(serverId))!.projectCount).toBe(before - 1);
    expect(await logActions(id)).toContain('subscription_ended');
  });
});

describe('a trial', () => {
  it('starts with trial licenses and reminds the billing contact 7 and 1 days before its end, once each', async () => {
    const id = await paidSubscription('abo-test', 'Abo Testphase');
    const project = await getProject(id);
    expect(project.trialEndsAt).toEqual(expect.any(String));
    const end = Date.parse(project.trialEndsAt);
    expect(end - Date.now()).toBeGreaterThan(13 * DAY);
    expect(project.licenses.map((l: Json) => [l.status, l.expiresAt])).toEqual(
      project.licenses.map(() => ['trial', project.trialEndsAt]),
    );
    const reminders = () => mails('abo-test@example.com', 'Testphase');

    await billingJob(new Date(end - 8 * DAY));
    expect(reminders()).toHaveLength(0);
    await billingJob(new Date(end - 7 * DAY + 3_600_000));
    await billingJob(new Date(end - 6 * DAY));
    expect(reminders().map((m) => m.subject)).toEqual([expect.stringContaining('in 7 Tagen')]);
    // With the way to upgrade: the project's page in the web UI.
    expect(reminders()[0]!.text).toContain(`/projects/${id}`);
    await billingJob(new Date(end - DAY + 3_600_000));
    await billingJob(new Date(end - 3_600_000));
    expect(reminders().map((m) => m.subject)).toEqual([
      expect.stringContaining('in 7 Tagen'),
      expect.stringContaining('in 1 Tag'),
    ]);
    expect((await logActions(id)).filter((a) => a === 'trial_reminder')).toHaveLength(2);
  });

  it('is converted to paid when Stripe charges at its end', async () => {
    const id = await paidSubscription('abo-umwandlung', 'Abo Umwandlung');
    await stripeHelper(id, 'pay');
    const project = await getProject(id);
    expect(project.licenses.every((l: Json) => l.status === 'active')).toBe(true);
    expect(Date.parse(project.licenses[0].expiresAt)).toBeGreaterThan(Date.parse(project.trialEndsAt));
  });
});
