import type { z } from 'zod';

// Configuration from process.env, each part a zod schema declared by the module that reads it.
// A Lambda parses every part its bundle declares at init (lambdaHandler calls parseDeclaredConfigs
// when the entry builds its pipeline), so a missing or malformed variable fails the cold start
// with a message naming it, not a request deep inside. Code outside Lambda (the seed, the local
// runtime's own process) parses a part only when it uses it.

const declared: (() => unknown)[] = [];

export function defineConfig<T extends z.ZodType>(name: string, schema: T): () => z.infer<T> {
  let cached: z.infer<T> | undefined;
  const get = () => {
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
  declared.push(get);
  return get;
}

/** Parses every config declared so far; one error names every invalid part. */
export function parseDeclaredConfigs(): void {
  const problems: string[] = [];
  for (const get of declared) {
    try {
      get();
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  if (problems.length) throw new Error(problems.join('\n'));
}
