import { json } from '../types.js';
import { noSuchObject } from './errors.js';
import type { Params } from './form.js';
import type { SimAddress, SimCustomer } from './model.js';
import { metadataParam, optObject, optString, optStringArray } from './params.js';
import type { Route } from './routes.js';
import { newId, type StripeStore } from './store.js';

// POST /v1/customers and GET /v1/customers/{id}.

export function customerRoutes(store: StripeStore): Route[] {
  return [
    [
      'POST',
      '/v1/customers',
      (_p, params) => {
        const customer: SimCustomer = {
          id: newId('cus', 14),
          object: 'customer',
          address: addressParam(params, 'address'),
          balance: 0,
          created: store.now(),
          currency: null,
          default_source: null,
          delinquent: false,
          description: optString(params, 'description') ?? null,
          email: optString(params, 'email') || null,
          invoice_prefix: newId('x', 8).slice(2).toUpperCase(),
          livemode: false,
          metadata: metadataParam(params),
          name: optString(params, 'name') || null,
          phone: optString(params, 'phone') || null,
          preferred_locales: optStringArray(params, 'preferred_locales') ?? [],
          shipping: null,
          tax_exempt: 'none',
          test_clock: null,
        };
        store.state.customers[customer.id] = customer;
        store.save();
        return json(200, customer);
      },
    ],
    [
      'GET',
      '/v1/customers/{id}',
      (p) => {
        const customer = store.state.customers[p.id!];
        if (!customer) throw noSuchObject('customer', p.id!);
        return json(200, customer);
      },
    ],
  ];
}

function addressParam(params: Params, key: string): SimAddress | null {
  const a = optObject(params, key);
  if (!a) return null;
  const field = (k: string) => optString(a, k, `${key}[${k}]`) || null;
  return {
    city: field('city'),
    country: field('country'),
    line1: field('line1'),
    line2: field('line2'),
    postal_code: field('postal_code'),
    state: field('state'),
  };
}
