import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { FieldError } from '../../../shared/platform/errors.js';

// HTTP API (payload 2.0) events built from the recorded-shape fixture in tests/events/: only the
// parts a request changes are replaced, everything else stays as API Gateway sends it.

const FIXTURE = new URL('../../events/api-gateway-v2-request.json', import.meta.url);

export type Claims = Record<string, string>;

/** The fixture's caller: a customer, Anna Müller (merging these changes nothing). */
export const CUSTOMER_EMAIL = 'anna.mueller@example.com';
export const CUSTOMER_CLAIMS: Claims = {
  sub: '7b3f6a62-1c4e-4f0a-9d6b-2e5a8c1f3d40',
  'cognito:groups': '[customer]',
  email: CUSTOMER_EMAIL,
};

export const STAFF_CLAIMS: Claims = {
  sub: '0c9e4b27-5d3a-4f1e-8b6c-7a2d9e0f1b35',
  'cognito:username': '0c9e4b27-5d3a-4f1e-8b6c-7a2d9e0f1b35',
  'cognito:groups': '[staff]',
  email: 'sachbearbeiter@vrs.gmbh',
};

export const OTHER_CUSTOMER_CLAIMS: Claims = {
  sub: 'a6f0d3c1-9e2b-4c7a-8f5d-1b3e6a9c0d24',
  'cognito:username': 'a6f0d3c1-9e2b-4c7a-8f5d-1b3e6a9c0d24',
  'cognito:groups': '[customer]',
  email: 'peter.schmidt@example.com',
};

export interface RequestOptions {
  /** Route key as in the route table, e.g. `GET /v1/projects/{id}`. */
  route: string;
  /** The concrete path, e.g. `/v1/projects/3f2b…`. Defaults to the route's path. */
  path?: string;
  pathParameters?: Record<string, string>;
  /** A string is sent as is; anything else as JSON; undefined means no body. */
  body?: unknown;
  /** Claims merged over the fixture's; `null` for a route without a JWT authorizer. */
  claims?: Claims | null;
  /** Claims replacing the fixture's entirely (e.g. to leave one out). */
  exactClaims?: Claims;
  headers?: Record<string, string>;
}

export function apiRequest(opts: RequestOptions): APIGatewayProxyEventV2 {
  const event = JSON.parse(readFileSync(FIXTURE, 'utf8')) as APIGatewayProxyEventV2 & {
    requestContext: { authorizer?: { jwt: { claims: Claims } } };
  };
  const [method = 'GET', routePath = '/'] = opts.route.split(' ');
  const path = opts.path ?? routePath;

  event.routeKey = opts.route;
  event.rawPath = path;
  event.requestContext.routeKey = opts.route;
  event.requestContext.http.method = method;
  event.requestContext.http.path = path;
  if (opts.pathParameters) event.pathParameters = opts.pathParameters;

  if (opts.claims === null) {
    delete event.requestContext.authorizer;
    delete event.headers.authorization;
  } else if (opts.exactClaims) {
    event.requestContext.authorizer!.jwt.claims = opts.exactClaims;
  } else if (opts.claims) {
    Object.assign(event.requestContext.authorizer!.jwt.claims, opts.claims);
  }

  if (opts.body === undefined) {
    delete event.body;
    delete event.headers['content-type'];
    delete event.headers['content-length'];
  } else {
    event.body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    event.headers['content-length'] = String(Buffer.byteLength(event.body));
  }
  Object.assign(event.headers, opts.headers);
  return event;
}

/** The order from the fixture's body, as an object to vary. */
export function fixtureOrder(): Record<string, unknown> {
  const event = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { body: string };
  return JSON.parse(event.body) as Record<string, unknown>;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors: FieldError[];
}

export function jsonBody<T = Record<string, unknown>>(res: APIGatewayProxyStructuredResultV2): T {
  return JSON.parse(res.body ?? 'null') as T;
}

/** Asserts nothing by itself: returns the problem body with the response's status and type. */
export function problemOf(res: APIGatewayProxyStructuredResultV2) {
  return {
    statusCode: res.statusCode,
    contentType: res.headers?.['content-type'],
    problem: jsonBody<ProblemBody>(res),
  };
}
