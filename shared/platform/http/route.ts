import type { z } from 'zod';
import type { CallerLimit } from '../rate-limit/caller-limit.js';
import type { Role } from './auth.js';

export type RouteAuth = 'none' | 'jwt' | 'apiKey';

/** One row of the route table (functions/routes.ts). */
export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  auth: RouteAuth;
  /** For `jwt` routes: who may call it at all (finer checks, e.g. ownership, are the service's). */
  roles?: readonly Role[];
  /** Handler entry below functions/api/, without extension. */
  handler: string;
  summary: string;
  tag: 'catalog' | 'projects' | 'satellite' | 'staff' | 'customers' | 'webhooks' | 'meta';
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  response: z.ZodType;
  /** API Gateway's throttle for this route (all callers together), below the stage's default. */
  throttle?: { rateLimit: number; burstLimit: number };
  /** A limit per caller (person, satellite project, or address on public routes): 429 beyond it. */
  callerLimit?: CallerLimit;
  /** The success body's media type, when not JSON (the handler returns a RawResponse). */
  contentType?: string;
  status: number;
  /** When the route answers 409 or 422, for the OpenAPI document (other statuses follow from the rest). */
  problems?: Readonly<Partial<Record<409 | 422 | 429, string>>>;
  /** Cache-Control of a success (default `no-store`): only for answers the same for every caller. */
  cacheControl?: string;
}
