import { callTimeoutMs, timeFor } from '../../platform/deadline.js';
import { ExternalServiceError } from '../../platform/errors.js';
import { totp } from './totp.js';
import { serializeMethodCall } from './xml-rpc-request.js';
import { parseMethodResponse } from './xml-rpc-response.js';

// Transport and session for the INWX DomRobot XML-RPC API: one login per session cookie,
// a per-call timeout, and DomRobot result codes mapped onto ExternalServiceError. Requests are
// written by xml-rpc-request.ts and sent with fetch; responses are read by the `xmlrpc` package's parser.

export interface DomRobotOptions {
  url: string;
  user: string;
  pass: string;
  /** Per-call timeout, default 10 000 ms. */
  timeoutMs?: number;
  /** Base32 TOTP secret of an account with 2FA: each login is unlocked with its current code. */
  sharedSecret?: string | undefined;
}

export interface DomRobotResponse {
  code: number;
  msg?: string;
  reason?: string;
  reasonCode?: string;
  resData?: Record<string, unknown>;
}

export type DomRobotParams = Record<string, unknown>;

/** Methods that only read: repeating them after a transient failure changes nothing at INWX. */
const READ_ONLY = /\.(info|check|list|getPrices)$/;
const ATTEMPTS = 3;

/** 2200 Authentication error, 2201 Authorization error: the session cookie expired or is unknown. */
const SESSION_CODES = new Set([2200, 2201]);
/** 2400 Command failed, 2500 ... server closing connection, 2502 Session limit exceeded. */
const TRANSIENT_CODES = new Set([2400, 2500, 2502]);

/**
 * `api` carries the session cookie; `login` is account.login (no cookie) and the account.unlock and
 * account.logout of the session it opens (login's cookie). Only `login` responses set a cookie.
 */
type Channel = 'api' | 'login';

export class DomRobotSession {
  private readonly timeoutMs: number;
  private cookie: string | undefined;
  private loginCookie: string | undefined;
  private loggingIn: Promise<void> | undefined;

  constructor(private readonly opts: DomRobotOptions) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  /**
   * Calls a DomRobot method (logging in first if needed) and returns the response of a 1xxx code.
   * A transient failure of the login, or of a method that only reads, is tried again (twice, with
   * jittered backoff, while the invocation has time): repeating those cannot change anything.
   */
  async call(method: string, params: DomRobotParams = {}): Promise<DomRobotResponse> {
    for (let attempt = 1; ; attempt++) {
      let sent = false;
      try {
        await this.ensureSession();
        sent = true;
        return await this.callInSession(method, params);
      } catch (err) {
        const repeatable = !sent || READ_ONLY.test(method);
        const transient = err instanceof ExternalServiceError && err.transient;
        if (attempt >= ATTEMPTS || !repeatable || !transient || !timeFor(this.timeoutMs)) throw err;
        await new Promise((r) => setTimeout(r, 150 * 2 ** attempt * (0.5 + Math.random() / 2)));
      }
    }
  }

  private async callInSession(method: string, params: DomRobotParams): Promise<DomRobotResponse> {
    const usedCookie = this.cookie;
    let res = await this.send('api', method, params);
    if (SESSION_CODES.has(res.code)) {
      // The session expired (or the server restarted): log in again once and repeat the call.
      if (this.cookie === usedCookie) this.cookie = undefined;
      await this.ensureSession();
      res = await this.send('api', method, params);
    }
    return checkCode(method, res);
  }

  /**
   * Ends the session if there is one. Best effort: safe without a session, and never throws (a
   * session that is already dead, or an INWX that does not answer, leaves nothing to clean up here).
   */
  async logout(): Promise<void> {
    await this.loggingIn?.catch(() => undefined);
    const cookie = this.cookie;
    if (!cookie) return;
    try {
      await this.send('api', 'account.logout', {});
    } catch {
      // The session ends by itself at INWX once idle.
    } finally {
      if (this.cookie === cookie) this.cookie = undefined;
    }
  }

  private ensureSession(): Promise<void> {
    if (this.cookie) return Promise.resolve();
    this.loggingIn ??= this.doLogin().finally(() => {
      this.loggingIn = undefined;
    });
    return this.loggingIn;
  }

  private async doLogin(): Promise<void> {
    this.loginCookie = undefined;
    const res = checkCode(
      'account.login',
      await this.send('login', 'account.login', {
        user: this.opts.user,
        pass: this.opts.pass,
        lang: 'en',
      }),
    );
    if (!this.loginCookie) {
      throw new ExternalServiceError('inwx', 'account.login: response carried no session cookie', false);
    }
    const tfa = res.resData?.tfa;
    if (tfa !== undefined && tfa !== null && tfa !== '' && tfa !== '0' && tfa !== 0) await this.unlock();
    this.cookie = this.loginCookie;
  }

  /** account.unlock with the current TOTP; a session that stays locked is logged out again. */
  private async unlock(): Promise<void> {
    try {
      const secret = this.opts.sharedSecret;
      if (!secret) {
        throw new ExternalServiceError(
          'inwx',
          'account.login: the account requires 2FA, but the INWX secret has no sharedSecret',
          false,
        );
      }
      let tan: string;
      try {
        tan = totp(secret);
      } catch {
        throw new ExternalServiceError('inwx', 'account.unlock: the sharedSecret is not base32', false);
      }
      checkCode('account.unlock', await this.send('login', 'account.unlock', { tan }));
    } catch (err) {
      // Leave no half-open session behind: it would count against INWX's session limit.
      await this.endLoginSession();
      throw err;
    }
  }

  private async endLoginSession(): Promise<void> {
    try {
      await this.send('login', 'account.logout', {});
    } catch {
      // Best effort: INWX ends an idle session by itself.
    }
  }

  /** One HTTP round trip; rejects with a transient error when the timeout elapses. */
  private async send(channel: Channel, method: string, params: DomRobotParams): Promise<DomRobotResponse> {
    const timeoutMs = callTimeoutMs(this.timeoutMs);
    const body = serializeMethodCall(method, [params]);
    const cookie = channel === 'api' ? this.cookie : this.loginCookie;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    const failed = (err: unknown) =>
      abort.signal.aborted
        ? new ExternalServiceError('inwx', `${method}: no answer within ${timeoutMs} ms`, true, 'timeout')
        : networkError(method, err);
    try {
      let res: Response;
      try {
        res = await fetch(this.opts.url, {
          method: 'POST',
          headers: { 'content-type': 'text/xml', accept: 'text/xml', ...(cookie ? { cookie } : {}) },
          body,
          redirect: 'manual',
          signal: abort.signal,
        });
      } catch (err) {
        throw failed(err);
      }
      if (channel === 'login' && res.status !== 404) this.keepLoginCookie(res.headers.getSetCookie());
      if (res.status < 200 || res.status >= 300) {
        await res.body?.cancel().catch(() => undefined);
        throw statusError(method, res.status, res.statusText);
      }
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await res.arrayBuffer());
      } catch (err) {
        throw failed(err);
      }
      let value: unknown;
      try {
        value = await parseMethodResponse(bytes);
      } catch (err) {
        throw responseError(method, res.status, err);
      }
      if (!isDomRobotResponse(value))
        throw new ExternalServiceError('inwx', `${method}: response is not a DomRobot result`, false);
      return value;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The `name=value` pairs of a login response's Set-Cookie headers, if it has any. */
  private keepLoginCookie(setCookie: string[]): void {
    const pairs = setCookie.map((c) => c.split(';')[0]?.trim()).filter((c): c is string => !!c);
    if (pairs.length > 0) this.loginCookie = pairs.join('; ');
  }
}

function checkCode(method: string, res: DomRobotResponse): DomRobotResponse {
  if (res.code < 2000) return res;
  const resDataReason = res.resData?.reason;
  const reason = typeof resDataReason === 'string' ? resDataReason : res.reason;
  const text = [res.msg, reason].filter(Boolean).join(': ') || 'unknown error';
  throw new ExternalServiceError(
    'inwx',
    `${method}: ${text} (code ${res.code})`,
    TRANSIENT_CODES.has(res.code),
    res.code,
  );
}

/** A status other than 2xx: 5xx and 429 are worth another try, anything else (404 included) is not. */
function statusError(method: string, status: number, statusText: string): ExternalServiceError {
  if (status >= 500 || status === 429) {
    return new ExternalServiceError('inwx', `${method}: HTTP ${status}`, true, status);
  }
  return new ExternalServiceError(
    'inwx',
    `${method}: unusable response (HTTP ${status}): ${statusText || 'not a 2xx status'}`,
    false,
  );
}

/** A 2xx body that is an XML-RPC fault, or no XML-RPC response at all (never echoes request params). */
function responseError(method: string, status: number, err: unknown): ExternalServiceError {
  const e = err as { message?: string; faultCode?: unknown };
  if (e.faultCode !== undefined) {
    return new ExternalServiceError('inwx', `${method}: ${e.message ?? 'XML-RPC fault'}`, false);
  }
  return new ExternalServiceError(
    'inwx',
    `${method}: unusable response (HTTP ${status}): ${e.message ?? String(err)}`,
    false,
  );
}

/** fetch failed before a response, or while reading it (refused, reset, DNS ...): transient. */
function networkError(method: string, err: unknown): ExternalServiceError {
  const cause = (err as { cause?: unknown }).cause;
  const reason =
    cause instanceof Error && cause.message
      ? cause.message
      : err instanceof Error
        ? err.message
        : String(err);
  return new ExternalServiceError('inwx', `${method}: network error: ${reason}`, true);
}

function isDomRobotResponse(value: unknown): value is DomRobotResponse {
  return (
    typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'number'
  );
}
