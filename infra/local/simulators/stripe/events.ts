import { STRIPE_API_VERSION } from '../../../../shared/integrations/stripe/api-version.js';
import { json } from '../types.js';
import { invalidParam, noSuchObject, noSuchParam, StripeSimError } from './errors.js';
import type { Params } from './form.js';
import type { SimEvent } from './model.js';
import { optInt, optObject, optString, optStringArray } from './params.js';
import type { Route, SimContext } from './routes.js';
import { newId, type StripeStore } from './store.js';

// Events as Stripe keeps them: a snapshot of the object at that moment, newest first in
// GET /v1/events (with `type` — wildcards like `invoice.*` — `types[]`, `created`, `limit`,
// `starting_after`, `ending_before`), each also handed to the webhook sender.

export function eventEmitter(store: StripeStore, deliver: (event: SimEvent) => boolean): SimContext['emit'] {
  return (type, object, opts = {}) => {
    const event: SimEvent = {
      id: newId('evt'),
      object: 'event',
      api_version: STRIPE_API_VERSION,
      created: store.now(),
      data: {
        object: structuredClone(object),
        ...(opts.previous && { previous_attributes: structuredClone(opts.previous) }),
      },
      livemode: false,
      pending_webhooks: 0,
      request: { id: opts.request?.id ?? null, idempotency_key: opts.request?.idempotencyKey ?? null },
      type,
    };
    store.state.events.push(event);
    if (deliver(event)) event.pending_webhooks = 1;
    return event;
  };
}

export function eventRoutes(store: StripeStore): Route[] {
  return [
    ['GET', '/v1/events', (_p, params) => json(200, listEvents(store, params))],
    [
      'GET',
      '/v1/events/{id}',
      (p) => {
        const event = store.event(p.id!);
        if (!event) throw noSuchObject('event', p.id!);
        return json(200, event);
      },
    ],
  ];
}

function listEvents(store: StripeStore, params: Params) {
  const limit = optInt(params, 'limit', 'limit', 1, 100) ?? 10;
  const startingAfter = optString(params, 'starting_after');
  const endingBefore = optString(params, 'ending_before');
  if (startingAfter && endingBefore)
    throw invalidParam(
      'ending_before',
      'You may only specify one of these parameters: ending_before, starting_after.',
    );
  const type = optString(params, 'type');
  const types = optStringArray(params, 'types');
  if (type && types)
    throw invalidParam('types', 'You may only specify one of these parameters: type, types.');
  const typeMatches = (t: string) =>
    (type === undefined || wildcard(type).test(t)) &&
    (types === undefined || types.some((x) => wildcard(x).test(t)));
  const created = createdFilter(params);
  const fits = (e: SimEvent) => typeMatches(e.type) && created(e.created);

  const newestFirst = store.state.events.slice().reverse();
  const cursor = startingAfter ?? endingBefore;
  let data: SimEvent[];
  let hasMore: boolean;
  if (cursor === undefined) {
    const all = newestFirst.filter(fits);
    data = all.slice(0, limit);
    hasMore = all.length > limit;
  } else {
    const at = newestFirst.findIndex((e) => e.id === cursor);
    if (at < 0) throw noSuchParam('event', cursor, startingAfter ? 'starting_after' : 'ending_before');
    if (startingAfter) {
      const older = newestFirst.slice(at + 1).filter(fits);
      data = older.slice(0, limit);
      hasMore = older.length > limit;
    } else {
      // The page just before the cursor, still newest first.
      const newer = newestFirst.slice(0, at).filter(fits);
      data = newer.slice(Math.max(0, newer.length - limit));
      hasMore = newer.length > limit;
    }
  }
  return { object: 'list', data, has_more: hasMore, url: '/v1/events' };
}

/** `invoice.*` matches every invoice event; `*` alone matches all. */
function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `created=T` or `created[gt|gte|lt|lte]=T`. */
function createdFilter(params: Params): (t: number) => boolean {
  if (typeof params.created === 'string') {
    const exact = optInt(params, 'created');
    return (t) => t === exact;
  }
  const range = optObject(params, 'created');
  if (!range) return () => true;
  const bound = (k: string) => optInt(range, k, `created[${k}]`);
  const [gt, gte, lt, lte] = [bound('gt'), bound('gte'), bound('lt'), bound('lte')];
  for (const k of Object.keys(range))
    if (!['gt', 'gte', 'lt', 'lte'].includes(k))
      throw new StripeSimError(
        400,
        'invalid_request_error',
        `Received unknown parameter: created[${k}]`,
        'parameter_unknown',
        `created[${k}]`,
      );
  return (t) =>
    (gt === undefined || t > gt) &&
    (gte === undefined || t >= gte) &&
    (lt === undefined || t < lt) &&
    (lte === undefined || t <= lte);
}
