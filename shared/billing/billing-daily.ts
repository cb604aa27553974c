import { logger } from '../platform/logger.js';
import { advanceBilling } from './advance-billing.js';
import { billingDue } from './billing-table.js';

// The billing job (issue: Commerce, "A daily billing job drives grace, warnings, trials and
// archival"): every project whose billing is due by `now` (the sparse BILLINGDUE index, no Scan)
// gets its due steps done and its next due time set. One project's failure is logged and retried
// by the next run; it never stops the others.

export interface BillingRunResult {
  due: number;
  /** Steps done, by kind. */
  done: Record<string, number>;
  deferred: number;
  failed: number;
}

export async function runBilling(now: Date): Promise<BillingRunResult> {
  const result: BillingRunResult = { due: 0, done: {}, deferred: 0, failed: 0 };
  for await (const page of billingDue(now)) {
    for (const projectId of page) {
      result.due++;
      try {
        const advanced = await advanceBilling(projectId, now);
        for (const kind of advanced.done) result.done[kind] = (result.done[kind] ?? 0) + 1;
        result.deferred += advanced.deferred.length;
      } catch (err) {
        result.failed++;
        logger.error('billing step failed; the next run tries again', { projectId, err });
      }
    }
  }
  return result;
}
