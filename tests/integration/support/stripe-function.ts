import { stripe } from '../../../shared/integrations/stripe/from-secret.js';

// A stand-in Lambda handler that calls Stripe the way the Commerce functions will: the client from
// its secret (STRIPE_SECRET_ARN), a customer and a Checkout Session — locally, the Stripe simulator.

export async function handler(event: { projectId: string }) {
  const client = await stripe();
  const customer = await client.createCustomer({
    email: 'buyer@example.com',
    projectId: event.projectId,
    idempotencyKey: `customer-${event.projectId}`,
  });
  const session = await client.createCheckoutSession({
    mode: 'subscription',
    interval: 'month',
    projectId: event.projectId,
    customerId: customer.id,
    lineItems: [{ name: 'Verzeichnis Basic', unitAmountCents: 4_900 }],
    successUrl: 'https://app.example.com/ok',
    cancelUrl: 'https://app.example.com/cancel',
    idempotencyKey: `checkout-${event.projectId}`,
  });
  return {
    customerId: customer.id,
    sessionId: session.id,
    url: session.url,
    secretArn: process.env.STRIPE_SECRET_ARN,
  };
}
