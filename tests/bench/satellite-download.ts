import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { environmentFor } from '../../infra/function-environment.js';
import { apiFunctionNeeds } from '../../infra/function-needs.js';
import { startLocalStack } from '../../infra/local/local-stack.js';
import { DEFAULT_BILLING_POLICY } from '../../shared/billing/billing-rules.js';
import { orderBody } from '../integration/support/api.js';
import { countingProxy } from './stripe-webhook.js';

// A satellite's plugin download (POST /v1/plugins/{name}/download, issue 8): DynamoDB calls per
// download, counted on a proxy only the handler uses, and the handler's CPU time, in a child process
// that runs nothing but the handler (download-worker.ts). The first download of a fresh process is
// cold (module init, SDK clients, the plugin's versions not yet kept); the rest are warm.

export interface DownloadFigure {
  call: number;
  status: number;
  dynamoCalls: number;
  byOperation: Record<string, number>;
  cpuMs: number;
  wallMs: number;
}

/** The local runtime's plugin bucket: presigning needs only its name (no request to S3). */
const LOCAL_BUCKET = 'vrs-plugins';

export async function runDownloadBench(downloads: number): Promise<{ figures: DownloadFigure[] }> {
  const stack = await startLocalStack({
    port: 0,
    waitMs: 0,
    retryIntervalMs: 0,
    deployDurationMs: 0,
    jobIntervalMs: 0,
  });
  const proxy = await countingProxy(stack.dynamoEndpoint);
  const env = {
    PATH: process.env.PATH ?? '',
    LOG_LEVEL: 'SILENT',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...environmentFor(apiFunctionNeeds['download-plugin'], {
      tableName: stack.tableName,
      cursorSecretArn: 'unused',
      licenseKeySecretArn: 'unused',
      previewCodeSecretArn: 'vrs/local/preview-code',
      pluginBucket: LOCAL_BUCKET,
      stateMachineArn: (flow) => stack.stateMachineArns[flow],
      externalSecretArn: (service) => `vrs/local/${service}`,
      marketplaceUrl: stack.url,
      healthCheckUrlTemplate: '',
      mailFrom: 'unused',
      staffEmail: 'unused',
      reconcileGraceSeconds: '20',
      authCodeKeyId: 'unused',
      inwxContactHandles: '',
      webAppUrl: stack.url,
      billingPolicy: DEFAULT_BILLING_POLICY,
    }),
    AWS_REGION: 'eu-central-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_DYNAMODB: proxy.url,
    AWS_ENDPOINT_URL_S3: stack.s3Endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
  const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
  const child = spawn(tsx, [fileURLToPath(new URL('./download-worker.ts', import.meta.url))], {
    env,
    stdio: 'pipe',
  });
  const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const figures: DownloadFigure[] = [];
  try {
    // One live project whose satellite holds a key and a license for kontakt.
    const staff = await stack.token('bench-staff@vrs.gmbh', 'staff');
    const res = await fetch(`${stack.url}/v1/projects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${staff}`, 'content-type': 'application/json' },
      body: JSON.stringify(orderBody(`bench-download-${Date.now().toString(36)}`)),
    });
    const id = ((await res.json()) as { project?: { id: string } }).project?.id;
    if (!id) throw new Error(`order failed: ${res.status}`);
    const apiKey = await keyOf(stack, id);
    for (let call = 1; call <= downloads; call++) {
      const before = proxy.snapshot();
      child.stdin.write(`${JSON.stringify({ apiKey, plugin: 'kontakt' })}\n`);
      const next = await answers.next();
      if (next.done) throw new Error(`download worker ended: ${stderr.slice(-2000)}`);
      const out = JSON.parse(next.value) as { status: number; cpuMs: number; wallMs: number };
      const after = proxy.snapshot();
      const byOperation: Record<string, number> = {};
      for (const [op, n] of after)
        if (n - (before.get(op) ?? 0) > 0) byOperation[op] = n - (before.get(op) ?? 0);
      figures.push({
        call,
        status: out.status,
        dynamoCalls: Object.values(byOperation).reduce((a, b) => a + b, 0),
        byOperation,
        cpuMs: out.cpuMs,
        wallMs: out.wallMs,
      });
    }
  } finally {
    child.stdin.end();
    child.kill();
    await proxy.close();
    await stack.stop();
  }
  return { figures };
}

/** The satellite's key as provisioning wrote it into the Coolify application's env. */
async function keyOf(stack: Awaited<ReturnType<typeof startLocalStack>>, id: string): Promise<string> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    const app = stack.coolify
      .applications()
      .find((a) => a.envs.some((e) => e.key === 'VRS_PROJECT_ID' && e.value === id));
    const key = app?.envs.find((e) => e.key === 'VRS_MARKETPLACE_KEY')?.value;
    const res = await fetch(`${stack.url}/v1/projects/${id}/config`, { headers: { 'x-api-key': key ?? '' } });
    if (key && res.status === 200) return key;
    await sleep(50);
  }
  throw new Error(`project ${id} has no working satellite key`);
}
