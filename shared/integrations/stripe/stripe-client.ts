import Stripe from 'stripe';
import { STRIPE_API_VERSION } from './api-version.js';
import { type CheckoutSessionInput, checkoutSessionParams } from './checkout-params.js';
import { isStripeResourceMissing, toStripeApiError } from './errors.js';
import { stripeCallOptions } from './request-options.js';
import { verifyWebhookSignature } from './webhook.js';

// The Stripe calls the marketplace makes, through the official SDK with the API version pinned.
// Every create takes the caller's idempotency key (derived from what it is for, e.g. the project
// id), so a retried task or a repeated request never creates twice; every call fits the time the
// invocation has left; every failure is a StripeApiError saying whether a retry may help.

export type { CheckoutLineItem, CheckoutSessionInput } from './checkout-params.js';
export { isStripeResourceMissing, StripeApiError } from './errors.js';
export { InvalidWebhookSignatureError } from './webhook.js';

export interface StripeClientOptions {
  /** `sk_live_…` / `sk_test_…` (or a restricted `rk_…` key). */
  secretKey: string;
  /** `whsec_…` of our webhook endpoint. */
  webhookSecret: string;
  /**
   * Origin of the API, only for the local simulator (`http://127.0.0.1:4242`); default Stripe's.
   * The SDK takes only protocol, host and port, so it cannot have a path.
   */
  apiBaseUrl?: string;
  /** Per attempt. Default 10 000. */
  timeoutMs?: number;
  /** Retries the SDK makes itself (connection errors, 409, 5xx). Default 1. */
  maxNetworkRetries?: number;
}

export interface CustomerInput {
  email: string;
  name?: string;
  address?: {
    line1: string;
    line2?: string;
    postalCode: string;
    city: string;
    /** ISO 3166-1 alpha-2, e.g. `DE`. */
    country: string;
  };
  /** The project being bought, when the customer is created for one. */
  projectId?: string;
  idempotencyKey: string;
}

export interface EventQuery {
  /** One type (`invoice.paid`) or a wildcard (`invoice.*`). */
  type?: string;
  /** 1–100, default 10. */
  limit?: number;
  /** Events older than this event id (the list is newest first). */
  startingAfter?: string;
  /** Only events created at or after this Unix time (s). */
  createdGte?: number;
}

export class StripeClient {
  private readonly sdk: Stripe;
  private readonly webhookSecret: string;
  private readonly timeoutMs: number;
  private readonly maxNetworkRetries: number;

  constructor(opts: StripeClientOptions) {
    this.webhookSecret = opts.webhookSecret;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.maxNetworkRetries = Math.max(0, opts.maxNetworkRetries ?? 1);
    this.sdk = new Stripe(opts.secretKey, {
      apiVersion: STRIPE_API_VERSION,
      maxNetworkRetries: this.maxNetworkRetries,
      timeout: this.timeoutMs,
      telemetry: false,
      appInfo: { name: 'vrs-marketplace' },
      ...(opts.apiBaseUrl ? apiAddress(opts.apiBaseUrl) : {}),
    });
  }

  /** metadata.email is the buyer's account e-mail, kept even if they change the customer's e-mail at Stripe. */
  createCustomer(input: CustomerInput): Promise<Stripe.Customer> {
    const { address } = input;
    return this.call('create customer', (o) =>
      this.sdk.customers.create(
        {
          email: input.email,
          ...(input.name !== undefined && { name: input.name }),
          ...(address && {
            address: {
              line1: address.line1,
              ...(address.line2 !== undefined && { line2: address.line2 }),
              postal_code: address.postalCode,
              city: address.city,
              country: address.country,
            },
          }),
          metadata: {
            email: input.email,
            ...(input.projectId !== undefined && { projectId: input.projectId }),
          },
        },
        { ...o, idempotencyKey: input.idempotencyKey },
      ),
    );
  }

  createCheckoutSession(input: CheckoutSessionInput): Promise<Stripe.Checkout.Session> {
    return this.call(`create ${input.mode} checkout session`, (o) =>
      this.sdk.checkout.sessions.create(checkoutSessionParams(input), {
        ...o,
        idempotencyKey: input.idempotencyKey,
      }),
    );
  }

  /** With `lineItems`, the session's `line_items` are included (Stripe leaves them out by default). */
  retrieveCheckoutSession(id: string, opts: { lineItems?: boolean } = {}): Promise<Stripe.Checkout.Session> {
    return this.call('retrieve checkout session', (o) =>
      this.sdk.checkout.sessions.retrieve(id, opts.lineItems ? { expand: ['line_items'] } : {}, o),
    );
  }

  retrieveSubscription(id: string): Promise<Stripe.Subscription> {
    return this.call('retrieve subscription', (o) => this.sdk.subscriptions.retrieve(id, {}, o));
  }

  /**
   * Cancels at once. Stripe answers a repeated cancel with "No such subscription"; that is the
   * outcome wanted, so the canceled subscription is returned instead (retried tasks stay idempotent).
   */
  async cancelSubscription(id: string): Promise<Stripe.Subscription> {
    try {
      return await this.call('cancel subscription', (o) => this.sdk.subscriptions.cancel(id, {}, o));
    } catch (err) {
      if (!isStripeResourceMissing(err)) throw err;
      const subscription = await this.retrieveSubscription(id);
      if (subscription.status !== 'canceled') throw err;
      return subscription;
    }
  }

  retrieveInvoice(id: string): Promise<Stripe.Invoice> {
    return this.call('retrieve invoice', (o) => this.sdk.invoices.retrieve(id, {}, o));
  }

  /** Newest first, one page; `hasMore` with the last id as `startingAfter` gives the next. */
  async listEvents(query: EventQuery = {}): Promise<{ events: Stripe.Event[]; hasMore: boolean }> {
    const page = await this.call('list events', (o) =>
      this.sdk.events.list(
        {
          ...(query.type !== undefined && { type: query.type }),
          ...(query.limit !== undefined && { limit: query.limit }),
          ...(query.startingAfter !== undefined && { starting_after: query.startingAfter }),
          ...(query.createdGte !== undefined && { created: { gte: query.createdGte } }),
        },
        o,
      ),
    );
    return { events: page.data, hasMore: page.has_more };
  }

  /** The event a webhook request carries; InvalidWebhookSignatureError (→ 400) unless signed by Stripe within 300 s. */
  verifyWebhook(
    rawBody: string | Uint8Array,
    signatureHeader: string | undefined,
    now?: number,
  ): Stripe.Event {
    return verifyWebhookSignature(rawBody, signatureHeader, this.webhookSecret, now);
  }

  private async call<T>(operation: string, fn: (opts: Stripe.RequestOptions) => Promise<T>): Promise<T> {
    // Outside the try: a TransientError for "no time left" is already what the caller needs.
    const opts = stripeCallOptions(this.timeoutMs, this.maxNetworkRetries);
    try {
      return await fn(opts);
    } catch (err) {
      throw toStripeApiError(err, operation);
    }
  }
}

function apiAddress(baseUrl: string): Pick<Stripe.StripeConfig, 'host' | 'port' | 'protocol'> {
  const url = new URL(baseUrl);
  if (url.pathname !== '/' || url.search)
    throw new Error('Stripe apiBaseUrl must be an origin (no path): the SDK cannot add a path prefix');
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { protocol, host: url.hostname, port: url.port || (protocol === 'http' ? 80 : 443) };
}
