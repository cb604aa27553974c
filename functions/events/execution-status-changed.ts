import { toTaskError } from '../../shared/errors.js';
import { logger } from '../../shared/logger.js';
import { executionStatusEvent, handleExecutionStatus } from '../../shared/services/execution-status.js';

// EventBridge rule target: "Step Functions Execution Status Change" for our state machines.
// A malformed event is logged and dropped (retrying it cannot help); failures of our own are
// thrown so EventBridge retries the delivery.

export const handler = async (event: unknown): Promise<string> => {
  const parsed = executionStatusEvent.safeParse(event);
  if (!parsed.success) {
    logger.warn('ignoring an event that is not a Step Functions status change', {
      issues: parsed.error.issues.length,
    });
    return 'ignored';
  }
  try {
    const outcome = await handleExecutionStatus(parsed.data);
    logger.info('execution status handled', {
      executionArn: parsed.data.detail.executionArn,
      status: parsed.data.detail.status,
      outcome,
    });
    return outcome;
  } catch (err) {
    throw toTaskError(err);
  }
};
