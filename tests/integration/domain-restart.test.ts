import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { freePort } from '../../infra/local/free-port.js';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { sharedBundles } from '../support/shared-engines.js';
import { api, orderBody, waitForHealth, waitForStatus } from './support/api.js';

// A transfer takes days; `npm start` may be restarted meanwhile. The attach flow waits on a task
// token the local engine keeps in the data directory: after a restart the domain-sync job still
// completes the wait, and the domain goes live, once.

process.env.LOG_LEVEL = 'SILENT';
process.env.VRS_SIM_TRANSFER_SECONDS = '4';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field in the test
type Json = Record<string, any>;
const dataDir = mkdtempSync(join(tmpdir(), 'vrs-domain-restart-'));
let stack: LocalStack | undefined;

async function start(port: number): Promise<LocalStack> {
  vi.resetModules(); // a new process: fresh module state, as a new `npm start` has
  const { startLocalStack } = await import('../../infra/local/local-stack.js');
  stack = await startLocalStack({
    port,
    dataDir,
    waitMs: 20,
    retryIntervalMs: 20,
    deployDurationMs: 20,
    ...sharedBundles(),
  });
  await waitForHealth(stack.url);
  return stack;
}

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('a transfer waiting for the registry survives a restart and completes afterwards', async () => {
  const port = await freePort();
  let s = await start(port);
  let staff = await s.token('staff@vrs.gmbh', 'staff');
  const ordered = await api(s).call<Json>('POST', '/v1/projects', {
    token: staff,
    body: orderBody('unused', {
      name: 'Umzug',
      domain: { type: 'transfer', domain: 'taken-umzug.de', authCode: 'Code-789' },
    }),
  });
  expect(ordered.status, JSON.stringify(ordered.body)).toBe(201);
  const id = ordered.body.project.id as string;
  await waitForStatus(s, staff, id, ['active'], 30_000);
  // Waiting: the attach execution has handed its token over and waits for the registry. (A restart
  // in any other state fails the execution for a redrive, as every local execution does.)
  await vi.waitFor(
    async () => {
      const page = await s.stepFunctions.listExecutions({
        stateMachineArn: s.stateMachineArns['attach-domain'],
      });
      const arn = page.executions.find((e) => e.name.startsWith(id))?.executionArn;
      expect(arn).toBeDefined();
      expect((await s.stepFunctions.describeExecution(arn!)).lastState?.name).toBe('AwaitTransfer');
    },
    { timeout: 20_000, interval: 50 },
  );
  await new Promise((r) => setTimeout(r, 300)); // its Lambda stores the token
  await s.stop();
  stack = undefined;

  s = await start(port);
  staff = await s.token('staff@vrs.gmbh', 'staff');
  const call = api(s).call;
  const deadline = Date.now() + 30_000;
  let project: Json = {};
  for (;;) {
    await s.runJob('domain-sync');
    project = (await call<Json>('GET', `/v1/projects/${id}`, { token: staff })).body;
    const d = (project.domains as Json[]).find((x) => x.domain === 'taken-umzug.de');
    if (d?.status === 'active' || d?.status === 'failed' || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  expect((project.domains as Json[]).find((x) => x.domain === 'taken-umzug.de')).toMatchObject({
    status: 'active',
    isPrimary: true,
  });
  expect(project.status).toBe('active');
  const mails = s.mailbox.list().filter((m) => m.subject.includes('Transfer abgeschlossen: taken-umzug.de'));
  expect(mails).toHaveLength(1);
});
