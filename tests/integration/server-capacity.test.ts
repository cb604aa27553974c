import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { api, orderBody, startTestStack } from './support/api.js';

// Capacity is never exceeded under concurrent provisioning (issue 8, "Servers"): 30 orders placed
// at once by staff against one server with exactly 10 free slots → 10 go live, 20 end in `error`
// with "no free server", the server's projectCount never passes maxProjects. An admin then raises
// maxProjects and staff retry: as many resume as there are new slots, the rest fail again.

type Json = Record<string, unknown>;
interface ServerView {
  id: string;
  name: string;
  projectCount: number;
  maxProjects: number;
  isAcceptingNew: boolean;
}

let stack: LocalStack;
let call: ReturnType<typeof api>['call'];
let staff: string;
let admin: string;

beforeAll(async () => {
  // No scheduled jobs: only the flows act (reconcile would not change the outcome, only add noise).
  stack = await startTestStack({ jobIntervalMs: 0 });
  ({ call } = api(stack));
  staff = await stack.token('kapazitaet@vrs.gmbh', 'staff');
  admin = await stack.token('admin@vrs.gmbh', 'admin');
});
afterAll(async () => {
  await stack?.stop();
});

/**
 * Waits until every project is `active` or `error`, through two list calls per round (the admin
 * list by status) instead of one GET per project: 30 pollers would slow the very flows they wait for.
 */
async function waitUntilEnded(ids: string[], timeoutMs: number): Promise<Map<string, Json>> {
  const deadline = Date.now() + timeoutMs;
  const wanted = new Set(ids);
  for (;;) {
    const ended = new Map<string, Json>();
    for (const status of ['active', 'error']) {
      const res = await call<{ items: Json[] }>('GET', `/v1/admin/projects?status=${status}&limit=200`, {
        token: staff,
      });
      for (const p of res.body.items) if (wanted.has(String(p.id))) ended.set(String(p.id), p);
    }
    if (ended.size === wanted.size) return ended;
    if (Date.now() > deadline) throw new Error(`${wanted.size - ended.size} projects still in progress`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const listServers = async () =>
  (await call<{ items: ServerView[] }>('GET', '/v1/admin/servers', { token: staff })).body.items;

describe('30 concurrent provisionings against 10 free slots', () => {
  it('gives exactly 10 a slot; the other 20 fail with "no free server" and resume after capacity is added', async () => {
    // Prepare: one server open with exactly 10 free slots, the other closed for new projects.
    const [first, second] = await listServers();
    expect(first && second).toBeTruthy();
    const closed = await call('PATCH', `/v1/admin/servers/${second!.id}`, {
      token: staff,
      body: { isAcceptingNew: false },
    });
    expect(closed.status).toBe(200);
    const sized = await call<ServerView>('PATCH', `/v1/admin/servers/${first!.id}`, {
      token: admin,
      body: { maxProjects: first!.projectCount + 10 },
    });
    expect(sized.status).toBe(200);
    const max = sized.body.maxProjects;

    // Act: 30 orders at once; meanwhile watch the server's count.
    let watching = true;
    let highest = 0;
    const watcher = (async () => {
      while (watching) {
        const s = (await listServers()).find((x) => x.id === first!.id)!;
        highest = Math.max(highest, s.projectCount);
        await new Promise((r) => setTimeout(r, 300));
      }
    })();
    const orders = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call<{ project: { id: string } }>('POST', '/v1/projects', {
          token: staff,
          body: orderBody(`kap-${i}`),
        }),
      ),
    );
    expect(orders.map((o) => o.status)).toEqual(Array(30).fill(201));
    const ids = orders.map((o) => o.body.project.id);
    const ended = [...(await waitUntilEnded(ids, 150_000)).values()];
    watching = false;
    await watcher;

    // Assess
    const active = ended.filter((p) => p.status === 'active');
    const failed = ended.filter((p) => p.status === 'error');
    expect(active).toHaveLength(10);
    expect(failed).toHaveLength(20);
    for (const p of failed) expect(String(p.provisioningError)).toMatch(/no free server/);
    expect(highest).toBeLessThanOrEqual(max);
    const after = (await listServers()).find((x) => x.id === first!.id)!;
    expect(after.projectCount).toBe(max);
    expect((await listServers()).find((x) => x.id === second!.id)!.projectCount).toBe(second!.projectCount);
    // The server's project list (its own index) holds exactly the ten live ones.
    const onServer = await call<{ items: Json[] }>(
      'GET',
      `/v1/admin/projects?server=${first!.id}&limit=200`,
      {
        token: staff,
      },
    );
    expect(onServer.body.items.map((p) => p.id).sort()).toEqual(active.map((p) => p.id).sort());

    // Act: an admin adds 3 slots; staff retry 4 of the failed projects.
    const raised = await call<ServerView>('PATCH', `/v1/admin/servers/${first!.id}`, {
      token: admin,
      body: { maxProjects: max + 3 },
    });
    expect(raised.status).toBe(200);
    const retried = failed.slice(0, 4).map((p) => String(p.id));
    const retries = await Promise.all(
      retried.map((id) => call('POST', `/v1/admin/projects/${id}/retry`, { token: staff })),
    );
    expect(retries.map((r) => r.status)).toEqual([202, 202, 202, 202]);
    // The retry moved each back to its in-progress status before answering 202.
    const resumed = [...(await waitUntilEnded(retried, 90_000)).values()];

    // Assess: three resumed into the new slots, the fourth is back in error for want of one.
    expect(resumed.filter((p) => p.status === 'active')).toHaveLength(3);
    const again = resumed.filter((p) => p.status === 'error');
    expect(again).toHaveLength(1);
    expect(String(again[0]!.provisioningError)).toMatch(/no free server/);
    expect((await listServers()).find((x) => x.id === first!.id)!.projectCount).toBe(max + 3);
  }, 240_000);
});
