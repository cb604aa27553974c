// The Stripe simulator's public entry point; the implementation lives in ./stripe/.

export { type StripeApiServer, serveStripeApi } from './stripe/api-server.js';
export type {
  SimCheckoutSession,
  SimCustomer,
  SimDelivery,
  SimEvent,
  SimInvoice,
  SimSubscription,
  StripeSimulator,
  StripeSimulatorOptions,
} from './stripe/model.js';
export { createStripeSimulator } from './stripe/simulator.js';
export { DEFAULT_WEBHOOK_SECRET, signatureHeader } from './stripe/webhooks.js';
