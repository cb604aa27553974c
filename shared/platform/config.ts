import type { z } from 'zod';

/**
 * Parses process.env against a schema once per cold start. A missing or malformed variable
 * fails at start with a message naming it, instead of deep inside a request.
 */
export function defineConfig<T extends z.ZodType>(name: string, schema: T): () => z.infer<T> {
  let cached: z.infer<T> | undefined;
  return () => {
    if (cached === undefined) {
      const parsed = schema.safeParse(process.env);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
        throw new Error(`Invalid ${name} configuration: ${problems}`);
      }
      cached = parsed.data;
    }
    return cached;
  };
}
