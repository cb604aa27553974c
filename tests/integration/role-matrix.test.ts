import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeList } from '../../functions/routes.js';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { ROLES, type Role } from '../../shared/platform/http/auth.js';
import { startTestStack } from './support/api.js';

// Who may call what, route by route (issue: Staff operations, "Roles and scoping"): every route of
// the route table is called without credentials and with a token of each role, on resources that
// do not exist and with empty bodies, so nothing changes. A role the route does not name gets 403;
// a person without a token 401; a satellite route refuses people and missing or wrong keys (401);
// every allowed role gets past the gate (its answer is then about the request: 400, 404, 200 …).
// Finer scoping (owner, reseller) is tested with the routes themselves.

let stack: LocalStack;
const tokens = {} as Record<Role, string>;

beforeAll(async () => {
  stack = await startTestStack({ jobIntervalMs: 0 });
  for (const role of ROLES) tokens[role] = await stack.token(`matrix-${role}@example.com`, role);
});
afterAll(async () => {
  await stack?.stop();
});

/** The route's path with made-up values: ids that exist nowhere, a plausible name elsewhere. */
function concrete(path: string): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === 'id' || name.endsWith('Id')) return randomUUID();
    if (name === 'domain') return 'matrix-nirgends.de';
    if (name === 'email') return 'matrix-nobody@example.com';
    if (name === 'version') return '9.9.9';
    if (name === 'file') return 'nothing.js';
    return 'matrixnothing';
  });
}

async function send(method: string, path: string, headers: Record<string, string>): Promise<number> {
  const withBody = method !== 'GET' && method !== 'DELETE';
  const res = await fetch(`${stack.url}${path}`, {
    method,
    headers: { ...headers, ...(withBody ? { 'content-type': 'application/json' } : {}) },
    ...(withBody ? { body: '{}' } : {}),
  });
  await res.arrayBuffer();
  return res.status;
}

describe('the role matrix', () => {
  it('covers every route', () => {
    expect(routeList.length).toBeGreaterThan(30);
  });

  for (const [name, route] of routeList) {
    // The webhook is Stripe's (a signature, no person) and the docs are public: both below as `none`.
    it(`${route.method} ${route.path} (${route.auth}${route.roles ? `: ${route.roles.join(', ')}` : ''})`, async () => {
      const path = concrete(route.path);
      const answers: Record<string, number> = {};
      answers.anonymous = await send(route.method, path, {});
      for (const role of ROLES)
        answers[role] = await send(route.method, path, { authorization: `Bearer ${tokens[role]}` });
      if (route.auth === 'apiKey')
        answers.wrongKey = await send(route.method, path, { 'x-api-key': `vrs_${'x'.repeat(40)}` });

      const expected: Record<string, (s: number) => boolean> = {};
      const passes = (s: number) => s !== 401 && s !== 403 && s < 500;
      if (route.auth === 'none') {
        for (const who of ['anonymous', ...ROLES]) expected[who] = passes;
      } else if (route.auth === 'apiKey') {
        for (const who of ['anonymous', ...ROLES, 'wrongKey']) expected[who] = (s) => s === 401;
      } else {
        expected.anonymous = (s) => s === 401;
        for (const role of ROLES)
          expected[role] = (route.roles?.includes(role) ?? true) ? passes : (s) => s === 403;
      }
      const wrong = Object.entries(answers).filter(([who, status]) => !expected[who]!(status));
      expect(wrong, `${name}: ${JSON.stringify(answers)}`).toEqual([]);
    });
  }
});
