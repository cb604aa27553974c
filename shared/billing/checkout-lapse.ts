// When an unpaid order lapses (issue: Commerce). A card order waits in `pending_payment` holding its
// subdomain, domain and slug; once the Checkout Session it awaits has expired unpaid, nothing can pay
// it any more, so it is released: archived, its names free for a new order. Pure: the webhook feeds
// it the project as stored and the session as Stripe reports it now (never the event's copy).

export interface AwaitingProject {
  id: string;
  status: string;
  stripeCheckoutSessionId?: string | undefined;
}

export interface SessionNow {
  id: string;
  status: string | null;
  payment_status: string;
  client_reference_id: string | null;
}

export type LapseDecision = { release: true } | { release: false; reason: string };

export function lapseDecision(project: AwaitingProject | undefined, session: SessionNow): LapseDecision {
  if (!project) return { release: false, reason: 'no such project' };
  if (project.status !== 'pending_payment')
    return { release: false, reason: `project is ${project.status}, not awaiting payment` };
  if (project.stripeCheckoutSessionId !== session.id)
    return { release: false, reason: `session ${session.id} is not the one the project awaits` };
  if (session.client_reference_id !== project.id)
    return { release: false, reason: `session ${session.id} belongs to another project` };
  if (session.status !== 'expired')
    return { release: false, reason: `session ${session.id} is ${String(session.status)}, not expired` };
  // An expired session cannot have been paid; should Stripe ever say otherwise, payment wins.
  if (session.payment_status === 'paid' || session.payment_status === 'no_payment_required')
    return { release: false, reason: `session ${session.id} is ${session.payment_status}` };
  return { release: true };
}

/** The log's and the archive's reason. */
export const lapseReason = (sessionId: string): string =>
  `Unpaid order lapsed: the Stripe Checkout Session ${sessionId} expired without payment; its subdomain, domain and slug are free again.`;
