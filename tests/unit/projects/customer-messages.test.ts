import { describe, expect, it } from 'vitest';
import { customerLogMessage, customerTriggeredBy } from '../../../shared/projects/customer-messages.js';

describe('what a customer reads in their project log', () => {
  it('names our automatic actors "system", staff "staff", and the customer themselves', () => {
    expect(customerTriggeredBy('billing', 'kunde@example.com')).toBe('system');
    expect(customerTriggeredBy('stripe', 'kunde@example.com')).toBe('system');
    expect(customerTriggeredBy('anna@vrs.gmbh', 'kunde@example.com')).toBe('staff');
    expect(customerTriggeredBy('kunde@example.com', 'kunde@example.com')).toBe('kunde@example.com');
  });

  it('explains billing events, and nothing internal', () => {
    expect(customerLogMessage('payment_failed')).toMatch(/payment method/);
    expect(customerLogMessage('license_suspended')).toBe('License suspended');
    expect(customerLogMessage('application_stopped')).toBeNull();
  });
});
