import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { apiRequest } from '../unit/handlers/api-request.js';

// The plugin download function on its own, in a child process of the bench (satellite-download.ts),
// with the function's environment (DynamoDB behind the bench's counting proxy), so the CPU time it
// reports is the handler's alone. Protocol: one JSON line in `{ apiKey, plugin }`, one out
// `{ status, cpuMs, wallMs }`.

const { handler } = await import('../../functions/api/download-plugin.js');

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const { apiKey, plugin } = JSON.parse(line) as { apiKey: string; plugin: string };
  const event = apiRequest({
    route: 'POST /v1/plugins/{name}/download',
    path: `/v1/plugins/${plugin}/download`,
    pathParameters: { name: plugin },
    claims: null,
    headers: { 'x-api-key': apiKey },
  });
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const res = await handler(event);
  const wallMs = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  process.stdout.write(
    `${JSON.stringify({ status: res.statusCode ?? 0, cpuMs: (used.user + used.system) / 1000, wallMs })}\n`,
  );
}
