import { createHmac } from 'node:crypto';
import type { SimDelivery, SimEvent } from './model.js';
import type { StripeStore } from './store.js';

// Webhook delivery as Stripe does it: each event POSTed on its own to our endpoint, signed
// (`Stripe-Signature: t=…,v1=HMAC-SHA256(secret, "t.body")`, freshly per attempt), at least once:
// a non-2xx answer or a connection error is retried after growing waits (shortened locally), then
// given up — the event stays in GET /v1/events. Deliveries never hold up the call that caused the
// event, and events of one action go out side by side, so their order is not guaranteed either.

export const DEFAULT_WEBHOOK_SECRET = 'whsec_local_test';
const DEFAULT_RETRY_DELAYS_MS = [500, 2_000, 5_000];

export interface WebhookSenderOptions {
  url: () => string | undefined;
  secret: string;
  retryDelaysMs?: number[];
  timeoutMs?: number;
  log?: (message: string) => void;
}

export interface WebhookSender {
  /** Starts delivering `event`; false when no endpoint is configured (nothing to deliver to). */
  deliver(event: SimEvent): boolean;
  /** Sends again what was pending when the last run stopped (call once the endpoint can answer). */
  resumePending(): void;
  settled(timeoutMs: number): Promise<void>;
  close(): void;
}

/** The header Stripe sends: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.payload">`. */
export function signatureHeader(payload: string, secret: string, timestamp: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

export function createWebhookSender(store: StripeStore, opts: WebhookSenderOptions): WebhookSender {
  const delays = opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const log = opts.log ?? (() => {});
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<AbortController>();
  let closed = false;

  const schedule = (delivery: SimDelivery, delayMs: number) => {
    if (closed) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      void attempt(delivery);
    }, delayMs);
    timer.unref();
    timers.add(timer);
  };

  const attempt = async (delivery: SimDelivery) => {
    const event = store.event(delivery.eventId);
    if (!event || closed) return;
    // Stripe sends the event pretty-printed; the signature covers exactly these bytes.
    const payload = JSON.stringify(event, null, 2);
    const abort = new AbortController();
    inFlight.add(abort);
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    let status: number | undefined;
    let error: string | undefined;
    try {
      // The endpoint as it is now (a restarted local stack may listen elsewhere).
      delivery.url = opts.url() ?? delivery.url;
      const res = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'stripe-signature': signatureHeader(payload, opts.secret, store.now()),
        },
        body: payload,
        signal: abort.signal,
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (err) {
      error = abort.signal.aborted ? (closed ? 'stopped' : `timed out after ${timeoutMs} ms`) : reason(err);
    } finally {
      clearTimeout(timer);
      inFlight.delete(abort);
    }
    if (closed) return; // stopping: it stays pending and is sent again after a restart
    delivery.attempts.push({
      at: new Date().toISOString(),
      ...(status !== undefined && { status }),
      ...(error !== undefined && { error }),
    });
    if (status !== undefined && status >= 200 && status < 300) {
      delivery.status = 'delivered';
    } else if (delivery.attempts.length <= delays.length) {
      schedule(delivery, delays[delivery.attempts.length - 1]!);
    } else {
      delivery.status = 'failed';
      log(`stripe simulator: gave up delivering ${event.type} ${event.id} (${status ?? error})`);
    }
    if (delivery.status !== 'pending') event.pending_webhooks = 0;
    store.save();
  };

  return {
    deliver(event) {
      const url = opts.url();
      if (!url) return false;
      const delivery: SimDelivery = {
        eventId: event.id,
        type: event.type,
        url,
        status: 'pending',
        attempts: [],
      };
      store.state.deliveries.push(delivery);
      schedule(delivery, 0);
      return true;
    },
    resumePending() {
      for (const d of store.state.deliveries) if (d.status === 'pending') schedule(d, 0);
    },
    async settled(limitMs) {
      const until = Date.now() + limitMs;
      while (store.state.deliveries.some((d) => d.status === 'pending') && Date.now() < until)
        await new Promise((r) => setTimeout(r, 10));
    },
    close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const a of inFlight) a.abort();
    },
  };
}

function reason(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } }).cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  return err instanceof Error ? err.message : String(err);
}
