import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { api, orderBody, startTestStack, waitForStatus } from './support/api.js';
import { projectItemWriter } from './support/project-item.js';

// Customers never see internal details, and a switched-off project's satellite is not served.

let stack: LocalStack;
let staff: string;
let owner: string;
let call: ReturnType<typeof api>['call'];
let items: ReturnType<typeof projectItemWriter>;

beforeAll(async () => {
  stack = await startTestStack();
  call = api(stack).call;
  staff = await stack.token('staff@vrs.gmbh', 'staff');
  owner = await stack.token('owner@example.com', 'customer');
  items = projectItemWriter(stack);
});
afterAll(async () => {
  items?.close();
  await stack?.stop();
});

async function order(subdomain: string): Promise<string> {
  const res = await call<{ project: { id: string } }>('POST', '/v1/projects', {
    token: staff,
    body: orderBody(subdomain),
  });
  expect(res.status).toBe(201);
  return res.body.project.id;
}

/** Suspension and archival have no API yet: set the status as they will. */
const setStatus = (id: string, status: string) => items.setStatus(id, status);

const INTERNALS = [
  /203\.0\.113\./,
  /arn:aws/,
  /coolify/i,
  /inwx/i,
  /Transient\./,
  /External\./,
  /HTTP 5\d\d/,
];

describe('a failed provisioning', () => {
  it('shows its owner what stopped in plain words, and staff the raw reason', async () => {
    await call('POST', '/sim/faults', {
      body: { service: 'coolify', operation: 'POST /applications/dockerimage', mode: 'http_500' },
    });
    const id = await order('intern');
    await waitForStatus(stack, staff, id, ['error', 'active'], 60_000);
    await call('DELETE', '/sim/faults');

    const staffView = (await call('GET', `/v1/projects/${id}`, { token: staff })).body;
    expect(String(staffView.provisioningError)).toMatch(/coolify/i);
    expect(staffView.executionArn).toMatch(/^arn:aws:states:/);

    const ownerView = (await call('GET', `/v1/projects/${id}`, { token: owner })).body;
    expect(ownerView.status).toBe('error');
    expect(ownerView.provisioningError).toBe(
      'Setting up your project stopped while deploying the application. Our team has been notified and will resume it.',
    );
    expect(ownerView).not.toHaveProperty('executionArn');
    expect(ownerView).not.toHaveProperty('serverId');

    const ownerLogs = await call<{ items: Record<string, unknown>[] }>(
      'GET',
      `/v1/projects/${id}/logs?limit=200`,
      {
        token: owner,
      },
    );
    expect(ownerLogs.status).toBe(200);
    expect(ownerLogs.body.items.map((l) => l.action)).toContain('error');
    for (const entry of ownerLogs.body.items) {
      for (const internal of INTERNALS) expect(String(entry.message)).not.toMatch(internal);
      expect(entry.externalId).toBeNull();
    }

    const staffLogs = JSON.stringify(
      (await call('GET', `/v1/projects/${id}/logs?limit=200`, { token: staff })).body,
    );
    expect(staffLogs).toMatch(/203\.0\.113\./);
    expect(staffLogs).toMatch(/arn:aws:states:/);
  });
});

describe('a satellite key', () => {
  it('is refused (403) while its project is suspended or archived, and served again once active', async () => {
    const id = await order('abgeschaltet');
    await waitForStatus(stack, staff, id, ['active']);
    const app = stack.coolify.applications().find((a) => a.name === `vrs-${id}`)!;
    const apiKey = app.envs.find((e) => e.key === 'VRS_MARKETPLACE_KEY')!.value!;
    const config = () => call('GET', `/v1/projects/${id}/config`, { apiKey });
    expect((await config()).status).toBe(200);

    for (const status of ['suspended', 'archived']) {
      await setStatus(id, status);
      const refused = await config();
      expect(refused.status, status).toBe(403);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      expect((await call('GET', `/v1/projects/${id}/plugins`, { apiKey })).status).toBe(403);
      expect((await call('POST', '/v1/plugins/kontakt/download', { apiKey })).status).toBe(403);
    }

    await setStatus(id, 'active');
    expect((await config()).status).toBe(200);
  });
});
