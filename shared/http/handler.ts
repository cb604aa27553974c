import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { withDeadline } from '../deadline.js';
import { type FieldError, PayloadTooLargeError, ValidationError } from '../errors.js';
import { logger } from '../logger.js';
import { authenticateSatellite } from '../services/satellite-auth.js';
import { type Caller, callerFromEvent, requireRole } from './auth.js';
import { problemFromError, problemResponse } from './problem.js';
import type { RouteDef } from './route.js';

// The HTTP edge of every API function: authenticate as the route says, parse and validate path,
// query and body with the route's zod schemas, call the service, map the result or error.

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
): (
  event: APIGatewayProxyEventV2,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
) => Promise<APIGatewayProxyStructuredResultV2> {
  return async (event, context) => {
    // Calls made while answering fit the Lambda's remaining time (shared/deadline.ts).
    const answer = () => respond(route, fn, event);
    return context ? withDeadline(context.getRemainingTimeInMillis(), answer) : answer();
  };
}

async function respond<R extends RouteDef>(
  route: R,
  fn: (req: HttpRequest<R>) => Promise<unknown>,
  event: APIGatewayProxyEventV2,
): Promise<APIGatewayProxyStructuredResultV2> {
  try {
    checkBodySize(event);
    const caller = route.auth === 'jwt' ? callerFromEvent(event) : undefined;
    if (caller && route.roles) requireRole(caller, route.roles);
    const satelliteProjectId =
      route.auth === 'apiKey'
        ? await authenticateSatellite(event.headers['x-api-key'] ?? event.headers['X-API-Key'])
        : undefined;
    const params = parse(route.params, event.pathParameters ?? {}, 'path');
    const query = parse(route.query, event.queryStringParameters ?? {}, 'query');
    const body = route.body ? parse(route.body, readJson(event), 'body') : undefined;
    const result = await fn({ params, query, body, caller, satelliteProjectId, event } as HttpRequest<R>);
    return {
      statusCode: route.status,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      body: JSON.stringify(result),
    };
  } catch (err) {
    const problem = problemFromError(err);
    if (problem.status >= 500)
      logger.error('request failed', { route: route.path, err, stack: (err as Error)?.stack });
    return problemResponse(
      problem,
      problem.status === 401 && route.auth === 'jwt' ? { 'www-authenticate': 'Bearer' } : {},
    );
  }
}

function checkBodySize(event: APIGatewayProxyEventV2): void {
  if (!event.body) return;
  const bytes = Buffer.byteLength(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  if (bytes > MAX_BODY_BYTES)
    throw new PayloadTooLargeError(`Request bodies are limited to ${MAX_BODY_BYTES / 1024} KiB.`);
}

function readJson(event: APIGatewayProxyEventV2): unknown {
  if (!event.body)
    throw new ValidationError('The request needs a JSON body.', [{ path: '', message: 'body is missing' }]);
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('The body is not valid JSON.', [{ path: '', message: 'malformed JSON' }]);
  }
}

function parse(schema: z.ZodType | undefined, value: unknown, where: 'path' | 'query' | 'body'): unknown {
  if (!schema) return undefined;
  const out = schema.safeParse(value);
  if (out.success) return out.data;
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
  throw new ValidationError(
    `Invalid ${where === 'body' ? 'request body' : `${where} parameter`} — ${detail}.`,
    errors,
  );
}
