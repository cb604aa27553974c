import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { type FieldError, PayloadTooLargeError, RateLimitedError, ValidationError } from '../errors.js';
import { type Caller, callerFromEvent, isStaff, requireRole } from '../http/auth.js';
import { problemFromError, problemResponse } from '../http/problem.js';
import { RawResponse } from '../http/raw-response.js';
import type { RouteDef } from '../http/route.js';
import { logger } from '../logger.js';
import { type CallerIdentity, callerKey, windowOf } from '../rate-limit/caller-limit.js';
import { lambdaHandler, observe } from './pipeline.js';

// The HTTP edge of every API function: a middy pipeline of Powertools logging and metrics, problem
// mapping, body limit, authentication as the route says, and validation of path, query and body
// with the route's zod schemas — around one service call.

/**
 * Our JSON requests are a few KiB; API Gateway passes bodies up to 10 MB, so the function refuses
 * big ones itself before parsing them.
 */
export const MAX_BODY_BYTES = 64 * 1024;

type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;

export interface HttpRequest<R extends RouteDef> {
  params: Infer<R['params']>;
  query: Infer<R['query']>;
  body: Infer<R['body']>;
  /** Set on `jwt` routes. */
  caller: R['auth'] extends 'jwt' ? Caller : undefined;
  /** Set on `apiKey` routes: the project the key belongs to. */
  satelliteProjectId: R['auth'] extends 'apiKey' ? string : undefined;
  event: APIGatewayProxyEventV2;
}

export function httpHandler<R extends RouteDef>(
  route: R,
  fn: (req: HttpRequest<R>) => Promise<unknown>,
  opts: HttpHandlerOptions = {},
): (event: APIGatewayProxyEventV2, context?: Context) => Promise<APIGatewayProxyStructuredResultV2> {
  if (route.auth === 'apiKey' && !opts.authenticateApiKey)
    throw new Error(`${route.path}: an apiKey route needs authenticateApiKey`);
  if (route.callerLimit && !opts.countCall)
    throw new Error(`${route.path}: a route with a callerLimit needs countCall`);
  const pipeline = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, RouteContext<R>>()
    .use(observe((event) => (event as APIGatewayProxyEventV2).requestContext?.requestId))
    .use(problemDetails(route))
    .use(bodyLimit())
    .use(authenticate(route, opts.authenticateApiKey))
    .use(limitPerCaller(route, opts.countCall))
    .use(validateInput(route))
    .handler(async (event, context) => {
      const result = await fn({ ...context.input, event });
      if (result instanceof RawResponse)
        return {
          statusCode: route.status,
          headers: result.headers,
          body: result.body,
          isBase64Encoded: result.isBase64Encoded,
        };
      return {
        statusCode: route.status,
        headers: { 'content-type': 'application/json', 'cache-control': route.cacheControl ?? 'no-store' },
        body: JSON.stringify(result),
      };
    });
  return lambdaHandler((event, context) => pipeline(event, context as never));
}

export interface HttpHandlerOptions {
  /**
   * For `apiKey` routes: the project an X-API-Key opens (the satellites context provides it, so
   * the platform knows no business context and other functions' bundles carry no key lookup).
   */
  authenticateApiKey?: (key: string | undefined) => Promise<string>;
  /**
   * For routes with a callerLimit: counts a call (shared/platform/rate-limit/rate-limits-table.ts
   * countCall), passed by those handlers only, so other bundles carry no table access.
   */
  countCall?: (
    route: string,
    caller: string,
    window: { start: number; seconds: number },
    limit: number,
  ) => Promise<boolean>;
}

/** What the middlewares hand the service call. */
type RouteContext<R extends RouteDef> = Context & { input: Omit<HttpRequest<R>, 'event'> };
type Middleware<R extends RouteDef> = MiddlewareObj<
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Error,
  RouteContext<R>
>;

/** Every error becomes problem+json; 5xx are logged with their stack and shown without internals. */
function problemDetails<R extends RouteDef>(route: R): Middleware<R> {
  return {
    onError: async (request) => {
      const problem = problemFromError(request.error);
      if (problem.status >= 500) logger.error('request failed', { route: route.path, error: request.error });
      const err = request.error;
      request.response = problemResponse(problem, {
        ...(problem.status === 401 && route.auth === 'jwt' ? { 'www-authenticate': 'Bearer' } : {}),
        ...(err instanceof RateLimitedError && err.retryAfterSeconds
          ? { 'retry-after': String(err.retryAfterSeconds) }
          : {}),
      });
    },
  };
}

function bodyLimit<R extends RouteDef>(): Middleware<R> {
  return {
    before: async ({ event }) => {
      if (!event.body) return;
      const bytes = Buffer.byteLength(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
      if (bytes > MAX_BODY_BYTES)
        throw new PayloadTooLargeError(`Request bodies are limited to ${MAX_BODY_BYTES / 1024} KiB.`);
    },
  };
}

/** Counts the call against its caller where the route sets a limit; beyond it a 429 with Retry-After. */
function limitPerCaller<R extends RouteDef>(
  route: R,
  countCall: HttpHandlerOptions['countCall'],
): Middleware<R> {
  const limit = route.callerLimit;
  return {
    before: async (request) => {
      if (!limit || !countCall) return;
      const input = request.context.input as { caller?: Caller; satelliteProjectId?: string };
      // Staff operate the system (bulk orders for customers, tests of a release): never held back.
      if (input.caller && isStaff(input.caller)) return;
      const who: CallerIdentity = input.caller
        ? { kind: 'person', sub: input.caller.sub }
        : input.satelliteProjectId
          ? { kind: 'project', projectId: input.satelliteProjectId }
          : { kind: 'address', ip: request.event.requestContext?.http?.sourceIp ?? 'unknown' };
      const window = windowOf(new Date(), limit.windowSeconds);
      const counted = await countCall(
        `${route.method} ${route.path}`,
        callerKey(who),
        { start: window.start, seconds: limit.windowSeconds },
        limit.limit,
      );
      if (!counted)
        throw new RateLimitedError(
          `At most ${limit.limit} calls per ${limit.windowSeconds} s; try again in ${window.retryAfterSeconds} s.`,
          [],
          window.retryAfterSeconds,
        );
    },
  };
}

/** People by the JWT the authorizer checked; satellites by their project API key. */
function authenticate<R extends RouteDef>(
  route: R,
  authenticateApiKey: HttpHandlerOptions['authenticateApiKey'],
): Middleware<R> {
  return {
    before: async (request) => {
      const { event } = request;
      request.context.input ??= {} as RouteContext<R>['input'];
      const input = request.context.input;
      if (route.auth === 'jwt') {
        const caller = callerFromEvent(event);
        if (route.roles) requireRole(caller, route.roles);
        (input as { caller?: Caller }).caller = caller;
      }
      if (route.auth === 'apiKey' && authenticateApiKey) {
        const projectId = await authenticateApiKey(event.headers['x-api-key'] ?? event.headers['X-API-Key']);
        (input as { satelliteProjectId?: string }).satelliteProjectId = projectId;
        logger.appendKeys({ projectId });
      }
    },
  };
}

function validateInput<R extends RouteDef>(route: R): Middleware<R> {
  return {
    before: async (request) => {
      const { event } = request;
      // Path, query and body are checked together: one answer names every invalid field.
      const parts = [
        parse(route.params, event.pathParameters ?? {}, 'path'),
        parse(route.query, event.queryStringParameters ?? {}, 'query'),
        route.body ? parse(route.body, readJson(event, route.body), 'body') : { data: undefined },
      ] as const;
      const failed = parts.filter((p): p is Invalid => 'errors' in p);
      if (failed.length > 0) {
        throw new ValidationError(
          failed.map((f) => f.summary).join(' '),
          failed.flatMap((f) => f.errors),
        );
      }
      const [params, query, body] = parts.map((p) => (p as { data: unknown }).data);
      Object.assign(request.context.input, { params, query, body });
      const id = event.pathParameters?.id;
      if (id) logger.appendKeys({ projectId: id });
    },
  };
}

/** The JSON body; none at all is fine only where the route's body schema is optional. */
function readJson(event: APIGatewayProxyEventV2, schema: z.ZodType): unknown {
  if (!event.body) {
    if (schema.safeParse(undefined).success) return undefined;
    throw new ValidationError('The request needs a JSON body.', [{ path: '', message: 'body is missing' }]);
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('The body is not valid JSON.', [{ path: '', message: 'malformed JSON' }]);
  }
}

interface Invalid {
  summary: string;
  errors: FieldError[];
}

function parse(
  schema: z.ZodType | undefined,
  value: unknown,
  where: 'path' | 'query' | 'body',
): { data: unknown } | Invalid {
  if (!schema) return { data: undefined };
  const out = schema.safeParse(value);
  if (out.success) return { data: out.data };
  const errors: FieldError[] = out.error.issues.flatMap((i) => {
    const base = i.path.map(String);
    // zod reports unknown keys on their parent; name each key instead.
    const keys = i.code === 'unrecognized_keys' ? i.keys : [undefined];
    return keys.map((key) => ({
      path: [...base, ...(key === undefined ? [] : [key])].join('.') || (where === 'body' ? '' : where),
      message: key === undefined ? i.message : 'unknown field',
    }));
  });
  const first = errors[0];
  const detail = first
    ? `${where === 'body' ? '' : `${where} `}${first.path ? `${first.path}: ` : ''}${first.message}`
    : 'invalid input';
  return {
    summary: `Invalid ${where === 'body' ? 'request body' : `${where} parameter`} — ${detail}.`,
    errors,
  };
}
