import { backgroundHandler } from '../../shared/platform/lambda/background-handler.js';
import { logger } from '../../shared/platform/logger.js';
import { executionStatusEvent, handleExecutionStatus } from '../../shared/provisioning/execution-status.js';

// EventBridge rule target: "Step Functions Execution Status Change" for our state machines.
// A malformed event is logged and dropped (retrying it cannot help); failures of our own are
// thrown so EventBridge retries the delivery.

export const handler = backgroundHandler(
  'execution status',
  async (event) => {
    const parsed = executionStatusEvent.safeParse(event);
    if (!parsed.success) {
      logger.warn('ignoring an event that is not a Step Functions status change', {
        issues: parsed.error.issues.length,
      });
      return 'ignored';
    }
    const outcome = await handleExecutionStatus(parsed.data);
    logger.info('execution status handled', { status: parsed.data.detail.status, outcome });
    return outcome;
  },
  (event) => (event as { detail?: { executionArn?: unknown } } | null)?.detail?.executionArn,
);
