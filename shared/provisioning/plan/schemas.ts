import * as z from 'zod';

export const provisioningPlanView = z.object({
  steps: z.array(
    z.object({
      service: z.enum(['marketplace', 'inwx', 'coolify', 'satellite']),
      action: z.string(),
      detail: z.string(),
      alreadyDone: z.boolean(),
    }),
  ),
});
