import type { z } from 'zod';
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
  status: number;
  /** When the route answers 409 or 422, for the OpenAPI document (other statuses follow from the rest). */
  problems?: Readonly<Partial<Record<409 | 422, string>>>;
  /** Cache-Control of a success (default `no-store`): only for answers the same for every caller. */
  cacheControl?: string;
}
