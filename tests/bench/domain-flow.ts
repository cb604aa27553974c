import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.js';
import { InwxClient } from '../../shared/integrations/inwx/inwx-client.js';
import { orderBody } from '../integration/support/api.js';

// Custom domains (issue 6): a transfer's state transitions whatever its duration (the wait is a task
// token, not a poll), the time until a transfer order is live on its technical subdomain against a
// subdomain order, and the INWX logins of one domain-sync run with 1,000 domains waiting.

export interface DomainBenchResult {
  transfers: { transferSeconds: number; transitions: number; wallMs: number }[];
  liveOnSubdomain: { kind: 'subdomain' | 'transfer'; medianMs: number; samples: number[] }[];
  sync: { domains: number; logins: number; listCalls: number; completed: number; wallMs: number };
}

type Json = Record<string, unknown>;

async function started(transferSeconds: number): Promise<LocalStack> {
  process.env.VRS_SIM_TRANSFER_SECONDS = String(transferSeconds);
  process.env.VRS_SIM_REGISTRATION_SECONDS = '0.1';
  return startLocalStack({ port: 0, waitMs: 0, retryIntervalMs: 0, deployDurationMs: 0, jobIntervalMs: 0 });
}

async function api(
  stack: LocalStack,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Json> {
  const res = await fetch(stack.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return (await res.json()) as Json;
}

/** POST → the project active (on its technical subdomain), in ms. */
async function orderLive(
  stack: LocalStack,
  token: string,
  domain: Json,
  name: string,
): Promise<{ id: string; ms: number }> {
  const t0 = performance.now();
  const created = await api(stack, token, 'POST', '/v1/projects', orderBody('unused', { name, domain }));
  const id = (created.project as Json | undefined)?.id as string | undefined;
  if (!id) throw new Error(`order failed: ${JSON.stringify(created).slice(0, 300)}`);
  for (;;) {
    const p = await api(stack, token, 'GET', `/v1/projects/${id}`);
    if (p.status === 'active') return { id, ms: performance.now() - t0 };
    if (p.status === 'error' || performance.now() - t0 > 60_000)
      throw new Error(`project ${id}: ${p.status}`);
    await sleep(10);
  }
}

/** The transfer domain's attach execution, run to its end by domain-sync; its transitions. */
async function transferTransitions(transferSeconds: number): Promise<DomainBenchResult['transfers'][number]> {
  const stack = await started(transferSeconds);
  try {
    const token = await stack.token('bench@vrs.gmbh', 'staff');
    const t0 = performance.now();
    const { id } = await orderLive(
      stack,
      token,
      { type: 'transfer', domain: `taken-bench-${transferSeconds}.de`, authCode: 'Bench-1' },
      'Transfer',
    );
    for (;;) {
      await stack.runJob('domain-sync');
      const p = await api(stack, token, 'GET', `/v1/projects/${id}`);
      const d = (p.domains as Json[]).find((x) => String(x.domain).startsWith('taken-bench'));
      if (d?.status === 'active') break;
      if (d?.status === 'failed' || performance.now() - t0 > 120_000)
        throw new Error(`transfer: ${JSON.stringify(d)}`);
      await sleep(200);
    }
    const page = await stack.stepFunctions.listExecutions({
      stateMachineArn: stack.stateMachineArns['attach-domain'],
    });
    const arn = page.executions.find((e) => e.name.startsWith(id))!.executionArn;
    const done = await stack.stepFunctions.waitForExecution(arn, 10_000);
    return { transferSeconds, transitions: done.stateTransitions, wallMs: performance.now() - t0 };
  } finally {
    await stack.stop();
  }
}

export async function runDomainBench(): Promise<DomainBenchResult> {
  const transfers = [await transferTransitions(1), await transferTransitions(6)];

  const stack = await started(3600); // transfers stay pending: only the subdomain phase counts
  try {
    const token = await stack.token('bench@vrs.gmbh', 'staff');
    const tag = Date.now().toString(36);
    const samples = { subdomain: [] as number[], transfer: [] as number[] };
    for (let i = 0; i < 3; i++) {
      samples.subdomain.push(
        (await orderLive(stack, token, { type: 'subdomain', subdomain: `sub-${tag}-${i}` }, `Sub ${i}`)).ms,
      );
      samples.transfer.push(
        (
          await orderLive(
            stack,
            token,
            { type: 'transfer', domain: `taken-${tag}-${i}.de`, authCode: 'Bench-1' },
            `Tr ${i}`,
          )
        ).ms,
      );
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const liveOnSubdomain = (['subdomain', 'transfer'] as const).map((kind) => ({
      kind,
      medianMs: median(samples[kind]),
      samples: samples[kind],
    }));
    return { transfers, liveOnSubdomain, sync: await syncRun(stack, 1000) };
  } finally {
    await stack.stop();
  }
}

/** `count` domains registered at INWX and as many waiting in the table; one domain-sync run. */
async function syncRun(stack: LocalStack, count: number): Promise<DomainBenchResult['sync']> {
  const inwx = new InwxClient({ url: `${stack.url}/sim/inwx/xmlrpc/`, user: 'bench', pass: 'bench' });
  const handle = await inwx.ensureContact({
    type: 'ORG',
    name: 'Bench',
    org: 'Bench',
    street: 'Weg 1',
    city: 'Bonn',
    postalCode: '53111',
    countryCode: 'DE',
    email: 'bench@example.com',
    phone: '+49 228 1',
  });
  const names = Array.from({ length: count }, (_, i) => `sync-bench-${i}.de`);
  for (const domain of names) {
    await inwx.createDomain({
      domain,
      period: '1Y',
      registrant: handle,
      admin: handle,
      tech: handle,
      billing: handle,
    });
  }
  await inwx.logout();
  await sleep(300); // registrations complete (VRS_SIM_REGISTRATION_SECONDS 0.1)

  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack.dynamoEndpoint,
      region: 'eu-central-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    }),
  );
  const now = new Date().toISOString();
  const items = names.map((domain) => {
    const projectId = randomUUID();
    return {
      pk: `PROJECT#${projectId}`,
      sk: `DOMAIN#${domain}`,
      entity: 'ProjectDomain',
      projectId,
      domain,
      type: 'registered',
      status: 'pending_registration',
      isPrimary: false,
      inwxRecordIds: {},
      // A token no execution waits for: the job still does all its INWX work, and SendTaskSuccess
      // answers TaskDoesNotExist (counted as not completed).
      registryTaskToken: `bench-${domain}`,
      gsi2pk: 'REGISTRYWAIT',
      gsi2sk: `${projectId}#${domain}`,
      createdAt: now,
      updatedAt: now,
    };
  });
  for (let i = 0; i < items.length; i += 25) {
    await doc.send(
      new BatchWriteCommand({
        RequestItems: { 'vrs-marketplace': items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
  }
  doc.destroy();

  const before = stack.inwx.stats();
  const t0 = performance.now();
  const result = (await stack.runJob('domain-sync')) as { completed: number };
  const wallMs = performance.now() - t0;
  const after = stack.inwx.stats();
  return {
    domains: count,
    logins: after.logins - before.logins,
    listCalls: (after.calls['domain.list'] ?? 0) - (before.calls['domain.list'] ?? 0),
    completed: result?.completed ?? 0,
    wallMs,
  };
}
