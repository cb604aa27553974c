import * as z from 'zod';

export const differenceView = z.object({
  /** What differs, e.g. `dns A steuerberater.tel`, `coolify application <uuid>`, `coolify env <uuid>`. */
  resource: z.string(),
  /** The field that differs (`content`, `recordId`, `domains`, an env var's name, `present`). */
  field: z.string(),
  expected: z.string().nullable(),
  actual: z.string().nullable(),
});

export const driftView = z.object({ differences: z.array(differenceView) });

export const driftRepairView = z.object({
  repaired: z.array(differenceView),
  /** Differences a repair cannot remove, with the reason (staff act on them). */
  unrepaired: z.array(differenceView.extend({ reason: z.string() })),
});
