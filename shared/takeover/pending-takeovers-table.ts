import { changeProjectWithLog, type PendingTakeover } from '../projects/projects-table.js';

// A takeover by card waits for its payment on the project item (pendingTakeover), so the Stripe
// webhook finds it by the project id the Checkout Session carries. No new keys: the project item
// and its log (projects-table.ts).

/**
 * Records the pending takeover with its log entry, on condition the project is still a live demo
 * with no takeover pending and no lifecycle request open. False when it is not.
 */
export function recordPendingTakeover(projectId: string, pending: PendingTakeover): Promise<boolean> {
  return changeProjectWithLog(
    projectId,
    {
      set: { pendingTakeover: pending },
      condition:
        '#status = :active AND #isDemo = :true AND attribute_not_exists(#pendingTakeover) AND attribute_not_exists(#lifecycleRequest)',
      names: { '#status': 'status', '#isDemo': 'isDemo', '#lifecycleRequest': 'lifecycleRequest' },
      values: { ':active': 'active', ':true': true },
    },
    {
      action: 'takeover_requested',
      message: `Staff asked for a takeover by ${pending.terms.ownerEmail} (${pending.terms.paymentMethod}); it runs once the Checkout is paid`,
      triggeredBy: pending.requestedBy,
      externalService: 'stripe',
      externalId: pending.sessionId,
    },
  );
}

/** Drops a pending takeover whose Checkout expired unpaid (only that session's), with a log entry. */
export function dropPendingTakeover(projectId: string, sessionId: string): Promise<boolean> {
  return changeProjectWithLog(
    projectId,
    {
      remove: ['pendingTakeover'],
      condition: '#pendingTakeover.sessionId = :sid',
      values: { ':sid': sessionId },
    },
    {
      action: 'takeover_lapsed',
      message: 'The takeover lapsed: its Checkout expired unpaid. Staff may ask again.',
      triggeredBy: 'stripe',
      externalService: 'stripe',
      externalId: sessionId,
    },
  );
}
