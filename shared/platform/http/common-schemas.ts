import * as z from 'zod';

export const idParam = z.object({ id: z.uuid({ error: 'must be a UUID' }) });

export const pluginName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,49}$/, { error: 'must be a plugin name: lowercase letters, digits and hyphens' });

export const code = z.string().regex(/^[a-z][a-z0-9_-]{1,49}$/, { error: 'must be a lowercase code' });

export const domainName = z
  .string()
  .max(253)
  .regex(/^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    error: 'must be a lowercase domain name like example.de',
  });

// C0/C1 controls (CR, LF, TAB, DEL, NEL, ...) and the Unicode line and paragraph separators: a
// name reaches mail subjects and headers, where a line break would start a new header.
const CONTROL_CHARACTERS = /[\p{Cc}\u2028\u2029]/u;

/** One line of text, trimmed; control characters are refused, not stripped (the client sent them). */
export const singleLine = (min: number, max: number) =>
  z
    .string()
    .refine((s) => !CONTROL_CHARACTERS.test(s), {
      error: 'must not contain control characters such as line breaks or tabs',
      abort: true,
    })
    .trim()
    .min(min)
    .max(max);

export const email = z
  .email({ error: 'must be an e-mail address' })
  .max(254)
  .transform((s) => s.toLowerCase());

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(2000).optional(),
});

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
});
