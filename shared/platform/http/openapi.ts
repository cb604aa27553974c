import * as z from 'zod';
import { problemSchema } from './common-schemas.js';
import type { RouteDef } from './route.js';

// OpenAPI 3.1 from the route table's zod schemas (zod 4 emits JSON Schema draft 2020-12, which
// OpenAPI 3.1 uses as is).

const schemaOf = (s: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(s, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;

export function buildOpenApi(routes: [string, RouteDef][], serverUrl?: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, r] of routes) {
    const parameters = [...paramsOf(r.params, 'path'), ...paramsOf(r.query, 'query')];
    const problem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
    const op: Record<string, unknown> = {
      operationId: name,
      summary: r.summary,
      tags: [r.tag],
      ...(parameters.length ? { parameters } : {}),
      ...(r.body
        ? {
            requestBody: {
              required: !r.body.safeParse(undefined).success,
              content: { 'application/json': { schema: schemaOf(r.body, 'input') } },
            },
          }
        : {}),
      responses: {
        [String(r.status)]: {
          description: 'Success',
          content: { [r.contentType ?? 'application/json']: { schema: schemaOf(r.response, 'output') } },
        },
        ...(r.params || r.query || r.body
          ? { '400': { description: 'Invalid input', content: problem } }
          : {}),
        ...(r.auth !== 'none'
          ? { '401': { description: 'Missing or invalid credentials', content: problem } }
          : {}),
        ...(r.auth !== 'none' ? { '403': { description: 'Not allowed', content: problem } } : {}),
        ...(r.params ? { '404': { description: 'Not found', content: problem } } : {}),
        ...(r.body ? { '413': { description: 'Body over 64 KiB', content: problem } } : {}),
        ...Object.fromEntries(
          Object.entries(r.problems ?? {}).map(([status, description]) => [
            status,
            { description, content: problem },
          ]),
        ),
      },
      ...(r.auth === 'jwt'
        ? { security: [{ bearer: [] }] }
        : r.auth === 'apiKey'
          ? { security: [{ projectApiKey: [] }] }
          : {}),
    };
    paths[r.path] ??= {};
    paths[r.path]![r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'VRS Marketplace API',
      version: '1.0.0',
      description: 'Orders, provisioning, plugin delivery and licensing for VRS satellites.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths,
    components: {
      schemas: { Problem: schemaOf(problemSchema, 'output') },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        projectApiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
    },
  };
}

function paramsOf(schema: z.ZodObject | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  return Object.entries(schema.shape).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || !(s as z.ZodType).safeParse(undefined).success,
    schema: schemaOf(s as z.ZodType, 'input'),
  }));
}
