import { randomBytes } from 'node:crypto';
import { totp } from '../../../../shared/integrations/inwx/totp.js';
import type { Params, Result } from './domrobot.js';
import { failure } from './domrobot.js';
import { optStr } from './params.js';

// DomRobot sessions: account.login sets a `domrobot` cookie that every later call must send. Kept in
// memory only, so a restarted simulator answers 2200 like a restarted INWX. At most `maxSessions`
// are open at once (2502 beyond); with 2FA a session does nothing but account.unlock until unlocked.

export interface SessionOptions {
  maxSessions: number;
  idleMs: number;
  tfaSecret?: string | undefined;
  now: () => number;
}

export interface SessionGate {
  /**
   * Answers account.login, account.logout and account.unlock, and refuses a call without a live,
   * unlocked session (2200); undefined lets the call through to its method.
   */
  check(
    method: string,
    params: Params,
    cookieHeader: string | undefined,
  ): { result: Result; headers?: Record<string, string> } | undefined;
  clear(): void;
  /** Successful logins so far. */
  logins(): number;
}

interface Session {
  lastUsed: number;
  locked: boolean;
}

const STEP_MS = 30_000;

export function createSessions(opts: SessionOptions): SessionGate {
  const sessions = new Map<string, Session>();
  let logins = 0;

  const dropIdle = (now: number) => {
    for (const [id, s] of sessions) if (now - s.lastUsed > opts.idleMs) sessions.delete(id);
  };
  /** The current TAN, or the one of the step before or after (clocks drift), as authenticators allow. */
  const validTan = (tan: string | undefined, now: number) =>
    !!tan && !!opts.tfaSecret && [-1, 0, 1].some((k) => totp(opts.tfaSecret!, now + k * STEP_MS) === tan);

  return {
    check(method, params, cookieHeader) {
      const now = opts.now();
      dropIdle(now);
      if (method === 'account.login') {
        if (!optStr(params, 'user') || !optStr(params, 'pass'))
          return { result: failure(2200, 'user and pass required') };
        if (sessions.size >= opts.maxSessions)
          return { result: failure(2502, `At most ${opts.maxSessions} sessions at once`) };
        const id = randomBytes(16).toString('hex');
        sessions.set(id, { lastUsed: now, locked: !!opts.tfaSecret });
        logins += 1;
        return {
          result: {
            code: 1000,
            resData: {
              customerId: 99999,
              accountId: 99999,
              tfa: opts.tfaSecret ? 'GOOGLE-AUTH' : '0',
              builddate: '20260101',
              version: '2.3.6-sim',
            },
          },
          headers: { 'set-cookie': `domrobot=${id}; path=/; HttpOnly` },
        };
      }
      const id = sessionCookie(cookieHeader);
      const session = id === undefined ? undefined : sessions.get(id);
      if (!id || !session) return { result: failure(2200, 'Not logged in or session expired') };
      session.lastUsed = now;
      if (method === 'account.logout') {
        sessions.delete(id);
        return { result: { code: 1500 } };
      }
      if (method === 'account.unlock') {
        if (!session.locked) return { result: { code: 1000 } };
        if (!validTan(optStr(params, 'tan'), now)) return { result: failure(2200, 'Invalid TAN') };
        session.locked = false;
        return { result: { code: 1000 } };
      }
      if (session.locked) return { result: failure(2200, 'Account locked: account.unlock required') };
      return undefined;
    },
    clear: () => sessions.clear(),
    logins: () => logins,
  };
}

function sessionCookie(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === 'domrobot' && v) return v;
  }
  return undefined;
}
