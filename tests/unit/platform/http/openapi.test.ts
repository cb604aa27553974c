import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { routeList } from '../../../../functions/routes.js';
import { buildOpenApi } from '../../../../shared/platform/http/openapi.js';

// The generated document (GET /v1/openapi.json) as a client's code generator reads it: valid
// OpenAPI 3.1 by the specification's own JSON Schema, with every route and its schemas.

const doc = buildOpenApi(routeList) as {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>>;
};

describe('the OpenAPI document', () => {
  it('passes an OpenAPI 3.1 validator', async () => {
    const validator = new Validator();
    const result = await validator.validate(doc as unknown as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('lists every route of the route table, admin routes included, with their schemas', () => {
    for (const [name, route] of routeList) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()];
      expect(op, name).toBeDefined();
      expect(Object.keys(op!.responses), name).toContain(String(route.status));
      if (route.body) expect(op!.requestBody, name).toBeDefined();
    }
    expect(routeList.filter(([, r]) => r.path.startsWith('/v1/admin/')).length).toBeGreaterThan(10);
  });
});
