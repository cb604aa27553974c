import { randomBytes } from 'node:crypto';
import type { Params, Result } from './domrobot.js';
import { failure } from './domrobot.js';
import { optStr } from './params.js';

// DomRobot sessions: account.login sets a `domrobot` cookie that every later call must send. Kept in
// memory only, so a restarted simulator answers 2200 like a restarted INWX.

export interface SessionGate {
  /**
   * Answers account.login and account.logout, and refuses a call without a live session (2200);
   * undefined lets the call through to its method.
   */
  check(
    method: string,
    params: Params,
    cookieHeader: string | undefined,
  ): { result: Result; headers?: Record<string, string> } | undefined;
  clear(): void;
}

export function createSessions(): SessionGate {
  const sessions = new Set<string>();
  return {
    check(method, params, cookieHeader) {
      const session = sessionCookie(cookieHeader);
      if (method === 'account.login') {
        if (!optStr(params, 'user') || !optStr(params, 'pass'))
          return { result: failure(2200, 'user and pass required') };
        const id = randomBytes(16).toString('hex');
        sessions.add(id);
        return {
          result: {
            code: 1000,
            resData: {
              customerId: 99999,
              accountId: 99999,
              tfa: '0',
              builddate: '20260101',
              version: '2.3.6-sim',
            },
          },
          headers: { 'set-cookie': `domrobot=${id}; path=/; HttpOnly` },
        };
      }
      if (!session || !sessions.has(session))
        return { result: failure(2200, 'Not logged in or session expired') };
      if (method === 'account.logout') {
        sessions.delete(session);
        return { result: { code: 1500 } };
      }
      return undefined;
    },
    clear: () => sessions.clear(),
  };
}

function sessionCookie(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === 'domrobot' && v) return v;
  }
  return undefined;
}
