import * as z from 'zod';
import { recordRegistryWait } from '../../projects/domains-table.js';
import { requireDomain } from './attach-input.js';

// Callback task AwaitRegistration / AwaitTransfer (attach-domain flow): stores the task token on the
// domain and returns; the flow then waits, costing nothing, until the domain-sync job sees the
// registry finish and sends the token back (SendTaskSuccess) or fails it (SendTaskFailure).

export const registryWaitInput = z.object({
  projectId: z.uuid(),
  domain: z.string().min(4).max(253),
  taskToken: z.string().min(1).max(2048),
});

export async function recordWait(input: z.infer<typeof registryWaitInput>): Promise<{ waiting: true }> {
  await requireDomain(input.projectId, input.domain);
  await recordRegistryWait(input.projectId, input.domain, input.taskToken);
  return { waiting: true };
}
