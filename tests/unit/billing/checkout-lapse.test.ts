import { describe, expect, it } from 'vitest';
import { lapseDecision } from '../../../shared/billing/checkout-lapse.js';
import { actionFor } from '../../../shared/billing/stripe-event-actions.js';

const PROJECT = '3f1c2b9a-7d4e-4f6a-9b8c-1d2e3f4a5b6c';
const event = (object: Record<string, unknown>) => ({
  id: 'evt_1',
  type: 'checkout.session.expired',
  data: { object },
});

describe('an expired Checkout Session', () => {
  it('asks to release the project it names (by client_reference_id or metadata)', () => {
    expect(actionFor(event({ id: 'cs_1', client_reference_id: PROJECT, status: 'expired' }))).toEqual({
      kind: 'checkout-expired',
      projectId: PROJECT,
      sessionId: 'cs_1',
    });
    expect(actionFor(event({ id: 'cs_2', metadata: { projectId: PROJECT } }))).toEqual({
      kind: 'checkout-expired',
      projectId: PROJECT,
      sessionId: 'cs_2',
    });
    expect(actionFor(event({ id: 'cs_3' })).kind).toBe('ignore');
  });
});

describe('whether an unpaid order lapses', () => {
  const project = { id: PROJECT, status: 'pending_payment', stripeCheckoutSessionId: 'cs_1' };
  const session = { id: 'cs_1', status: 'expired', payment_status: 'unpaid', client_reference_id: PROJECT };

  it('releases a project awaiting exactly this session, once Stripe reports it expired unpaid', () => {
    expect(lapseDecision(project, session)).toEqual({ release: true });
  });

  it('changes nothing for a project that moved on, another session, or a session not expired', () => {
    const cases = [
      lapseDecision(undefined, session),
      lapseDecision({ ...project, status: 'pending_domain' }, session),
      lapseDecision({ ...project, status: 'archived' }, session),
      lapseDecision({ ...project, stripeCheckoutSessionId: 'cs_new' }, session),
      lapseDecision(project, { ...session, client_reference_id: 'another-project' }),
      lapseDecision(project, { ...session, status: 'open' }),
      lapseDecision(project, { ...session, status: 'complete', payment_status: 'paid' }),
      lapseDecision(project, { ...session, payment_status: 'paid' }),
    ];
    for (const c of cases) expect(c.release).toBe(false);
    expect(lapseDecision({ ...project, status: 'active' }, session)).toEqual({
      release: false,
      reason: 'project is active, not awaiting payment',
    });
  });
});
