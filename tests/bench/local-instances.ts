import { performance } from 'node:perf_hooks';
import { startLocalStack } from '../../infra/local/local-stack.js';
import { orderBody } from '../integration/support/api.js';

// The local runtime's function instances (infra/local/engines/lambda): start-up time, a cold
// invocation (bundle + worker start + module init) against warm ones through the gateway, and the
// process's peak RSS and instance count while 30 provisionings run at once.

export interface InstancesResult {
  startupMs: number;
  invocations: { path: string; coldMs: number; warmMs: number }[];
  concurrent: { projects: number; active: number; wallMs: number; peakRssMb: number; peakInstances: number };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

export async function runInstances(
  concurrency = 30,
  options: { maxInstancesPerFunction?: number } = {},
): Promise<InstancesResult> {
  const t0 = performance.now();
  const stack = await startLocalStack({
    port: 0,
    waitMs: 0,
    retryIntervalMs: 0,
    deployDurationMs: 0,
    jobIntervalMs: 0,
    ...options,
  });
  const startupMs = performance.now() - t0;
  try {
    const timed = async (path: string) => {
      const t = performance.now();
      const res = await fetch(stack.url + path);
      await res.arrayBuffer();
      return performance.now() - t;
    };
    const invocations: InstancesResult['invocations'] = [];
    for (const path of ['/v1/project-types', '/v1/bundles', '/v1/base-domains']) {
      const coldMs = await timed(path);
      const warm: number[] = [];
      for (let i = 0; i < 10; i++) warm.push(await timed(path));
      invocations.push({ path, coldMs, warmMs: median(warm) });
    }

    const token = await stack.token('bench-staff@vrs.gmbh', 'staff');
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    let peakRss = process.memoryUsage().rss;
    let peakInstances = 0;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      const n = Object.values(stack.functionInstances()).reduce((a, b) => a + b, 0);
      peakInstances = Math.max(peakInstances, n);
    }, 50);
    const started = performance.now();
    const tag = Date.now().toString(36);
    const ids = await Promise.all(
      Array.from({ length: concurrency }, async (_, i) => {
        const res = await fetch(`${stack.url}/v1/projects`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify(orderBody(`par-${tag}-${i}`)),
        });
        return ((await res.json()) as { project?: { id: string } }).project?.id;
      }),
    );
    const deadline = Date.now() + 120_000;
    const final = new Map<string, string>();
    while (final.size < ids.length && Date.now() < deadline) {
      for (const id of ids) {
        if (!id || final.has(id)) continue;
        const res = await fetch(`${stack.url}/v1/projects/${id}`, { headers: auth });
        const { status } = (await res.json()) as { status: string };
        if (status === 'active' || status === 'error') final.set(id, status);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const wallMs = performance.now() - started;
    clearInterval(sampler);
    return {
      startupMs,
      invocations,
      concurrent: {
        projects: concurrency,
        active: [...final.values()].filter((s) => s === 'active').length,
        wallMs,
        peakRssMb: peakRss / 2 ** 20,
        peakInstances,
      },
    };
  } finally {
    await stack.stop();
  }
}
