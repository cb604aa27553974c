import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ForbiddenError, UnauthorizedError } from '../errors.js';

export const ROLES = ['admin', 'staff', 'customer', 'reseller'] as const;
export type Role = (typeof ROLES)[number];

export interface Caller {
  sub: string;
  email: string;
  roles: Role[];
}

export const isStaff = (c: Caller): boolean => c.roles.includes('staff') || c.roles.includes('admin');

/**
 * The caller as the JWT authorizer saw it. API Gateway has already verified the token (Cognito on
 * AWS, the local server's key locally) and puts its claims here; groups arrive as an array or as
 * API Gateway's "[a b]" string form.
 */
export function callerFromEvent(event: APIGatewayProxyEventV2): Caller {
  const ctx = event.requestContext as APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { jwt?: { claims?: Record<string, unknown> } };
  };
  const claims = ctx.authorizer?.jwt?.claims;
  if (!claims || typeof claims.sub !== 'string') throw new UnauthorizedError('A bearer token is required.');
  // Ownership goes by e-mail, so only an address the user has proven to hold may identify them:
  // otherwise changing one's e-mail to a victim's would hand over the victim's projects.
  // API Gateway passes claims as strings ("true"); local tokens carry the boolean.
  const verified = claims.email_verified === true || claims.email_verified === 'true';
  const email = verified && typeof claims.email === 'string' ? claims.email.toLowerCase() : '';
  if (!email) throw new UnauthorizedError('The token carries no verified e-mail address.');
  return { sub: claims.sub, email, roles: parseGroups(claims['cognito:groups']) };
}

function parseGroups(raw: unknown): Role[] {
  let values: string[] = [];
  if (Array.isArray(raw)) values = raw.map(String);
  else if (typeof raw === 'string') values = raw.replace(/^\[|\]$/g, '').split(/[\s,]+/);
  return values.filter((v): v is Role => (ROLES as readonly string[]).includes(v));
}

export function requireRole(caller: Caller, allowed: readonly Role[]): void {
  if (!caller.roles.some((r) => allowed.includes(r))) {
    throw new ForbiddenError(`This needs one of the roles: ${allowed.join(', ')}.`);
  }
}
