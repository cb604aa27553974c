import * as z from 'zod';

// What the attach-domain flow passes between its tasks: the project and the domain (punycode).

export const attachInput = z.object({
  projectId: z.uuid(),
  domain: z.string().min(4).max(253),
});
export type AttachInput = z.infer<typeof attachInput>;

export { requireDomain, shown } from '../domain-lookup.js';
