import { describe, expect, it } from 'vitest';
import { actionFor } from '../../../shared/billing/stripe-event-actions.js';

const event = (type: string, object: Record<string, unknown>) => ({ id: 'evt_1', type, data: { object } });
const PROJECT = '3f1c2b9a-7d4e-4f6a-9b8c-1d2e3f4a5b6c';

describe('what a Stripe event asks of us', () => {
  it('fulfils a paid (or trial) Checkout Session of a project, at once or after a delayed payment', () => {
    for (const type of ['checkout.session.completed', 'checkout.session.async_payment_succeeded']) {
      expect(
        actionFor(event(type, { id: 'cs_1', client_reference_id: PROJECT, payment_status: 'paid' })),
      ).toEqual({
        kind: 'fulfil',
        projectId: PROJECT,
        sessionId: 'cs_1',
      });
    }
    const trial = event('checkout.session.completed', {
      id: 'cs_2',
      metadata: { projectId: PROJECT },
      payment_status: 'no_payment_required',
    });
    expect(actionFor(trial)).toMatchObject({ kind: 'fulfil', projectId: PROJECT });
  });

  it('waits while a completed session is unpaid, and ignores sessions of no project', () => {
    const unpaid = event('checkout.session.completed', {
      id: 'cs_1',
      client_reference_id: PROJECT,
      payment_status: 'unpaid',
    });
    expect(actionFor(unpaid).kind).toBe('ignore');
    expect(actionFor(event('checkout.session.completed', { id: 'cs_1', payment_status: 'paid' })).kind).toBe(
      'ignore',
    );
  });

  it('reads an invoice’s subscription where the pinned API version puts it (parent), or at the top', () => {
    const nested = event('invoice.paid', {
      id: 'in_1',
      parent: { subscription_details: { subscription: 'sub_1', metadata: { projectId: PROJECT } } },
    });
    expect(actionFor(nested)).toEqual({
      kind: 'invoice-paid',
      subscriptionId: 'sub_1',
      invoiceId: 'in_1',
      projectId: PROJECT,
    });
    expect(actionFor(event('invoice.payment_failed', { id: 'in_2', subscription: 'sub_2' }))).toEqual({
      kind: 'invoice-failed',
      subscriptionId: 'sub_2',
      invoiceId: 'in_2',
      projectId: undefined,
    });
    expect(actionFor(event('invoice.paid', { id: 'in_3' })).kind).toBe('ignore');
  });

  it('ends with the subscription, tells of a failed checkout payment, and ignores the rest', () => {
    expect(
      actionFor(event('customer.subscription.deleted', { id: 'sub_1', metadata: { projectId: PROJECT } })),
    ).toEqual({
      kind: 'subscription-ended',
      subscriptionId: 'sub_1',
      projectId: PROJECT,
    });
    expect(
      actionFor(event('checkout.session.async_payment_failed', { id: 'cs_1', client_reference_id: PROJECT })),
    ).toEqual({ kind: 'checkout-payment-failed', projectId: PROJECT, sessionId: 'cs_1' });
    expect(actionFor(event('charge.dispute.created', {}))).toEqual({
      kind: 'ignore',
      reason: 'event type charge.dispute.created is not handled',
    });
  });
});
