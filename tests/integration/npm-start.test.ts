import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort } from '../../infra/local/free-port.js';
import { orderBody } from './support/api.js';

// A new user runs `npm start` on a fresh data directory and orders the moment /v1/health answers
// 200 (as the README says): the order must go all the way to active. Health that answered before
// the catalog and servers were seeded made exactly this order fail with "no free server".

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field in the test
type Json = Record<string, any>;
let child: ChildProcess | undefined;
let dataDir: string | undefined;

afterAll(async () => {
  if (child?.pid) {
    process.kill(-child.pid, 'SIGTERM');
    await new Promise((r) => child!.once('exit', r).once('error', r));
    // npm exits before the rest of its group (DynamoDB Local still flushing its files): wait for
    // the whole group, or removing the data directory races with the last writes.
    await groupGone(child.pid);
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
});

async function groupGone(pgid: number, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return; // ESRCH: no process of the group is left
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  process.kill(-pgid, 'SIGKILL');
}

it('an order placed the moment /v1/health answers 200 goes active', async () => {
  const port = await freePort();
  dataDir = mkdtempSync(join(tmpdir(), 'vrs-npm-start-'));
  child = spawn('npm', ['start'], {
    env: { ...process.env, PORT: String(port), VRS_LOCAL_DATA_DIR: join(dataDir, 'data'), CI: 'true' },
    stdio: 'ignore',
    detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  const seen = new Set<number>();
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await fetch(`${url}/v1/health`).then(
      (r) => r.status,
      () => 0,
    );
    seen.add(status);
    if (status === 200) break;
    expect(Date.now(), `health never answered 200; saw ${[...seen]}`).toBeLessThan(deadline);
    await new Promise((r) => setTimeout(r, 5));
  }

  const json = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(url + path, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const { token } = (await json('POST', '/local/token', { email: 'staff@vrs.gmbh', role: 'staff' })).body;
  const order = await json('POST', '/v1/projects', orderBody('erster'), token);
  expect(order.status, JSON.stringify(order.body)).toBe(201);
  const id = order.body.project.id as string;

  let status = order.body.project.status as string;
  while (!['active', 'error'].includes(status) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    status = (await json('GET', `/v1/projects/${id}`, undefined, token)).body.status;
  }
  const project = (await json('GET', `/v1/projects/${id}`, undefined, token)).body;
  expect(project.status, String(project.provisioningError)).toBe('active');
  // Until it could take an order, the API said so (503) or was not listening yet (0).
  expect([...seen].filter((s) => s !== 200).every((s) => s === 503 || s === 0)).toBe(true);
});
