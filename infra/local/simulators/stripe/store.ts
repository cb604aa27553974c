import { randomBytes } from 'node:crypto';
import { readJsonFile, writeJsonFile } from '../../engines/json-file.js';
import type {
  SimCheckoutSession,
  SimCustomer,
  SimDelivery,
  SimEvent,
  SimInvoice,
  SimSessionExtras,
  SimSubscription,
} from './model.js';

// The simulator's whole state is one JSON-serialisable object, rewritten to `persistPath` after each
// change, so a restarted local stack keeps its customers, sessions, subscriptions, events, the
// idempotency keys it has seen and the deliveries still pending.

/** A POST with an `Idempotency-Key`: what it was and what it got (kept 24 hours, as at Stripe). */
export interface IdempotencyRecord {
  operation: string;
  /** The parameters, canonical JSON: a reuse with others is an idempotency_error. */
  params: string;
  status: number;
  body: string;
  requestId: string;
  createdAt: number;
}

interface State {
  customers: Record<string, SimCustomer>;
  /** Products made from `price_data[product_data]`: only their names are kept. */
  products: Record<string, { id: string; name: string }>;
  sessions: Record<string, SimCheckoutSession>;
  sessionExtras: Record<string, SimSessionExtras>;
  subscriptions: Record<string, SimSubscription>;
  invoices: Record<string, SimInvoice>;
  /** Oldest first. */
  events: SimEvent[];
  idempotency: Record<string, IdempotencyRecord>;
  deliveries: SimDelivery[];
  invoiceNumber: number;
}

export interface StripeStore {
  readonly state: State;
  /** Unix time in seconds, as every Stripe timestamp. */
  now(): number;
  save(): void;
  event(id: string): SimEvent | undefined;
}

export function openStore(persistPath: string | undefined): StripeStore {
  const empty: State = {
    customers: {},
    products: {},
    sessions: {},
    sessionExtras: {},
    subscriptions: {},
    invoices: {},
    events: [],
    idempotency: {},
    deliveries: [],
    invoiceNumber: 0,
  };
  const state: State = { ...empty, ...readJsonFile<Partial<State>>(persistPath, 'Stripe simulator') };
  return {
    state,
    now: () => Math.floor(Date.now() / 1000),
    save: () => {
      if (persistPath) writeJsonFile(persistPath, state);
    },
    event: (id) => state.events.find((e) => e.id === id),
  };
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `cus_…`, `sub_…`, `in_…`, `evt_…`: a prefix and random alphanumerics, like Stripe's ids. */
export function newId(prefix: string, length = 24): string {
  let out = '';
  for (const b of randomBytes(length)) out += ALPHANUMERIC[b % ALPHANUMERIC.length];
  return `${prefix}_${out}`;
}

/** Checkout Session ids are longer and say test mode: `cs_test_a1…`. */
export const newCheckoutSessionId = () => newId('cs_test', 58);
