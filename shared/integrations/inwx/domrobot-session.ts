import xmlrpc from 'xmlrpc';
import { callTimeoutMs, timeFor } from '../../platform/deadline.js';
import { ExternalServiceError } from '../../platform/errors.js';
import { totp } from './totp.js';

// Transport and session for the INWX DomRobot XML-RPC API: one login per session cookie,
// a per-call timeout, and DomRobot result codes mapped onto ExternalServiceError.

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

type HeaderMap = Record<string, string | string[] | undefined>;
type RequestOptionsWithSignal = xmlrpc.Client['options'] & { signal?: AbortSignal };

export class DomRobotSession {
  private readonly api: xmlrpc.Client;
  /**
   * A separate client for account.login (and account.unlock of the session it opens), so only
   * login responses can set the session cookie.
   */
  private readonly login: xmlrpc.Client;
  private readonly timeoutMs: number;
  private cookie: string | undefined;
  private loginCookie: string | undefined;
  private loggingIn: Promise<void> | undefined;

  constructor(private readonly opts: DomRobotOptions) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    const create = new URL(opts.url).protocol === 'https:' ? xmlrpc.createSecureClient : xmlrpc.createClient;
    this.api = create({ url: opts.url });
    this.login = create({ url: opts.url });
    this.api.headersProcessors.processors.push({
      composeRequest: (headers: HeaderMap) => {
        if (this.cookie) headers.Cookie = this.cookie;
        else delete headers.Cookie;
      },
      parseResponse: () => {},
    });
    this.login.headersProcessors.processors.push({
      // account.login goes out without a cookie; account.unlock carries the one login just set.
      composeRequest: (headers: HeaderMap) => {
        if (this.loginCookie) headers.Cookie = this.loginCookie;
        else delete headers.Cookie;
      },
      parseResponse: (headers: HeaderMap) => {
        const setCookie = headers['set-cookie'];
        const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
        const pairs = list.map((c) => c.split(';')[0]?.trim()).filter((c): c is string => !!c);
        if (pairs.length > 0) this.loginCookie = pairs.join('; ');
      },
    });
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
    let res = await this.send(this.api, method, params);
    if (SESSION_CODES.has(res.code)) {
      // The session expired (or the server restarted): log in again once and repeat the call.
      if (this.cookie === usedCookie) this.cookie = undefined;
      await this.ensureSession();
      res = await this.send(this.api, method, params);
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
      await this.send(this.api, 'account.logout', {});
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
      await this.send(this.login, 'account.login', {
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
      checkCode('account.unlock', await this.send(this.login, 'account.unlock', { tan }));
    } catch (err) {
      // Leave no half-open session behind: it would count against INWX's session limit.
      await this.endLoginSession();
      throw err;
    }
  }

  private async endLoginSession(): Promise<void> {
    try {
      await this.send(this.login, 'account.logout', {});
    } catch {
      // Best effort: INWX ends an idle session by itself.
    }
  }

  /** One HTTP round trip; rejects with a transient error when the timeout elapses. */
  private send(client: xmlrpc.Client, method: string, params: DomRobotParams): Promise<DomRobotResponse> {
    const timeoutMs = callTimeoutMs(this.timeoutMs);
    return new Promise((resolve, reject) => {
      const abort = new AbortController();
      const timer = setTimeout(() => {
        abort.abort();
        reject(
          new ExternalServiceError('inwx', `${method}: no answer within ${timeoutMs} ms`, true, 'timeout'),
        );
      }, timeoutMs);
      const options = client.options as RequestOptionsWithSignal;
      // http.request reads the signal synchronously inside methodCall, so concurrent calls don't mix.
      options.signal = abort.signal;
      try {
        client.methodCall(method, [compact(params)], (err: unknown, value: unknown) => {
          clearTimeout(timer);
          if (err) reject(transportError(method, err));
          else if (isDomRobotResponse(value)) resolve(value);
          else
            reject(new ExternalServiceError('inwx', `${method}: response is not a DomRobot result`, false));
        });
      } finally {
        delete options.signal;
      }
    });
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

/** Maps errors of the xmlrpc package (network, HTTP status, XML) without ever echoing request params. */
function transportError(method: string, err: unknown): ExternalServiceError {
  const e = err as { message?: string; code?: unknown; faultCode?: unknown; res?: { statusCode?: number } };
  const status = e.res?.statusCode;
  if (status !== undefined && (status >= 500 || status === 429)) {
    return new ExternalServiceError('inwx', `${method}: HTTP ${status}`, true, status);
  }
  if (e.faultCode !== undefined) {
    return new ExternalServiceError('inwx', `${method}: ${e.message ?? 'XML-RPC fault'}`, false);
  }
  if (status !== undefined) {
    return new ExternalServiceError(
      'inwx',
      `${method}: unusable response (HTTP ${status}): ${e.message}`,
      false,
    );
  }
  if (e.code === 'ABORT_ERR') {
    return new ExternalServiceError('inwx', `${method}: request aborted`, true, 'timeout');
  }
  return new ExternalServiceError('inwx', `${method}: network error: ${e.message ?? String(err)}`, true);
}

function isDomRobotResponse(value: unknown): value is DomRobotResponse {
  return (
    typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'number'
  );
}

/** The xmlrpc serializer turns `undefined` members into empty strings; drop them instead. */
function compact(params: DomRobotParams): DomRobotParams {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
}
