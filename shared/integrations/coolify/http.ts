import type { z } from 'zod';
import { callTimeoutMs, timeFor } from '../../platform/deadline.js';
import { ExternalServiceError } from '../../platform/errors.js';

export interface CoolifyClientOptions {
  /** API root including `/api/v1`, e.g. `https://coolify.example.com/api/v1`. */
  baseUrl: string;
  token: string;
  /** Per attempt, including reading the body. Default 10 000. */
  timeoutMs?: number;
  /** Extra attempts for GETs after a transient failure. Default 2. Other methods are never retried. */
  retries?: number;
  /** First backoff step; doubled per attempt, with jitter. Default 250. */
  retryBaseDelayMs?: number;
  /** Longest wait between attempts; a longer `Retry-After` ends the retries instead. Default 5 000. */
  maxRetryDelayMs?: number;
}

export interface CoolifyErrorDetails {
  /** HTTP status, absent for network errors and timeouts. */
  httpStatus?: number;
  retryAfterSeconds?: number;
  /**
   * Laravel validation errors (`{ field: [messages] }`) from a 422. A plain list of messages (Coolify's
   * domain check on updating an application answers so) is kept under the key `''`.
   */
  fieldErrors?: Record<string, string[]>;
  /** Resources already serving a requested domain, from a 409 on creating or updating an application. */
  conflicts?: CoolifyDomainConflict[];
}

export interface CoolifyDomainConflict {
  domain: string;
  resourceName: string;
  resourceUuid: string | null;
}

/** Every failure of the Coolify client. `code` is the HTTP status, or `timeout` / `network` / `bad-response`. */
export class CoolifyApiError extends ExternalServiceError {
  readonly httpStatus: number | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly fieldErrors: Record<string, string[]> | undefined;
  readonly conflicts: CoolifyDomainConflict[] | undefined;

  constructor(message: string, transient: boolean, code: string | number, details: CoolifyErrorDetails = {}) {
    super('coolify', message, transient, code);
    this.httpStatus = details.httpStatus;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.fieldErrors = details.fieldErrors;
    this.conflicts = details.conflicts;
  }
}

export function isCoolifyStatus(err: unknown, status: number): err is CoolifyApiError {
  return err instanceof CoolifyApiError && err.httpStatus === status;
}

type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions<S extends z.ZodType> {
  query?: Query;
  body?: unknown;
  schema: S;
}

export class CoolifyHttp {
  private readonly baseUrl: string;
  private readonly token: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryBaseDelayMs: number;
  private readonly maxRetryDelayMs: number;

  constructor(opts: CoolifyClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.token = opts.token;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.retries = Math.max(0, opts.retries ?? 2);
    this.retryBaseDelayMs = opts.retryBaseDelayMs ?? 250;
    this.maxRetryDelayMs = opts.maxRetryDelayMs ?? 5_000;
  }

  /** Sends one request (GETs retried on transient failures) and parses a 2xx body with `schema`. */
  async request<S extends z.ZodType>(
    method: string,
    path: string,
    opts: RequestOptions<S>,
  ): Promise<z.infer<S>> {
    const attempts = method === 'GET' ? this.retries + 1 : 1;
    for (let attempt = 0; ; attempt++) {
      try {
        const body = await this.once(method, path, opts.query, opts.body);
        const parsed = opts.schema.safeParse(body);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const where = issue ? ` at ${issue.path.join('.') || '(root)'}: ${issue.message}` : '';
          throw new CoolifyApiError(`${method} ${path}: unexpected response${where}`, false, 'bad-response');
        }
        return parsed.data;
      } catch (err) {
        if (!(err instanceof CoolifyApiError) || !err.transient || attempt + 1 >= attempts) throw err;
        const delay = this.backoff(attempt, err.retryAfterSeconds);
        if (delay === undefined || !timeFor(delay + this.timeoutMs)) throw err;
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private backoff(attempt: number, retryAfterSeconds: number | undefined): number | undefined {
    if (retryAfterSeconds !== undefined) {
      const ms = retryAfterSeconds * 1000;
      return ms <= this.maxRetryDelayMs ? ms : undefined;
    }
    const ceiling = Math.min(this.maxRetryDelayMs, this.retryBaseDelayMs * 2 ** attempt);
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  private async once(
    method: string,
    path: string,
    query: Query | undefined,
    body: unknown,
  ): Promise<unknown> {
    const url = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.token}`,
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const op = `${method} ${path}`;

    let status: number;
    let retryAfter: string | null;
    let text: string;
    const timeoutMs = callTimeoutMs(this.timeoutMs);
    try {
      const res = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      retryAfter = res.headers.get('retry-after');
      text = await res.text();
    } catch (err) {
      if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
        throw new CoolifyApiError(`${op} timed out after ${timeoutMs} ms`, true, 'timeout');
      }
      throw new CoolifyApiError(`${op} failed: ${networkReason(err)}`, true, 'network');
    }

    const json = parseJson(text);
    if (status >= 200 && status < 300) return json;

    const message = coolifyMessage(json) ?? `HTTP ${status}`;
    const retryAfterSeconds = parseRetryAfter(retryAfter);
    const transient = status >= 500 || status === 429 || status === 408;
    const fieldErrors = status === 422 ? validationErrors(json) : undefined;
    const conflicts = status === 409 ? domainConflicts(json) : undefined;
    const suffix = fieldErrors ? ` (${formatFieldErrors(fieldErrors)})` : '';
    const wait = retryAfterSeconds !== undefined ? `, retry after ${retryAfterSeconds}s` : '';
    throw new CoolifyApiError(
      `${op} failed with HTTP ${status}${wait}: ${message}${suffix}`,
      transient,
      status,
      {
        httpStatus: status,
        ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
        ...(fieldErrors && { fieldErrors }),
        ...(conflicts && { conflicts }),
      },
    );
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function coolifyMessage(body: unknown): string | undefined {
  if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string') {
    return body.message;
  }
  if (typeof body === 'string' && body.trim()) return body.trim().slice(0, 200);
  return undefined;
}

function validationErrors(body: unknown): Record<string, string[]> | undefined {
  if (!body || typeof body !== 'object' || !('errors' in body)) return undefined;
  const errors = body.errors;
  if (Array.isArray(errors)) return errors.length > 0 ? { '': errors.map(String) } : undefined;
  if (!errors || typeof errors !== 'object') return undefined;
  const out: Record<string, string[]> = {};
  for (const [field, msgs] of Object.entries(errors)) {
    out[field] = Array.isArray(msgs) ? msgs.map(String) : [String(msgs)];
  }
  return out;
}

function domainConflicts(body: unknown): CoolifyDomainConflict[] | undefined {
  if (!body || typeof body !== 'object' || !('conflicts' in body) || !Array.isArray(body.conflicts))
    return undefined;
  return body.conflicts.flatMap((c: unknown) => {
    if (!c || typeof c !== 'object') return [];
    const { domain, resource_name, resource_uuid } = c as Record<string, unknown>;
    return [
      {
        domain: String(domain ?? ''),
        resourceName: String(resource_name ?? ''),
        resourceUuid: typeof resource_uuid === 'string' ? resource_uuid : null,
      },
    ];
  });
}

function formatFieldErrors(errors: Record<string, string[]>): string {
  return Object.entries(errors)
    .map(([field, msgs]) => (field ? `${field}: ${msgs.join(' ')}` : msgs.join(' ')))
    .join('; ');
}

/** `Retry-After` as seconds (delta-seconds or an HTTP date). */
export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

function networkReason(err: unknown): string {
  if (!(err instanceof Error)) return 'network error';
  const cause = err.cause;
  if (cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string')
    return cause.code;
  return err.message || 'network error';
}
