import { json, type SimResponse } from '../types.js';

// Stripe's error answers: `{ error: { type, code?, message, param?, doc_url? } }` with the HTTP
// status the SDK turns into its error classes (400/404 invalid request, 401 authentication,
// 402 card, 409 conflict, 429 rate limit, 5xx api error).

export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

/** Thrown by request handlers; the simulator answers it as Stripe would. */
export class StripeSimError extends Error {
  constructor(
    readonly status: number,
    readonly type: StripeErrorType,
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
  }
}

export function errorResponse(err: StripeSimError, headers: Record<string, string> = {}): SimResponse {
  return stripeError(err.status, err.type, err.message, err.code, err.param, headers);
}

export function stripeError(
  status: number,
  type: StripeErrorType,
  message: string,
  code?: string,
  param?: string,
  headers: Record<string, string> = {},
): SimResponse {
  const error = {
    ...(code && { code, doc_url: `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}` }),
    message,
    ...(param && { param }),
    type,
  };
  return json(status, { error }, headers);
}

/** A parameter that names something that does not exist (400, as Stripe answers for references). */
export function noSuchParam(resource: string, id: string, param: string): StripeSimError {
  return new StripeSimError(
    400,
    'invalid_request_error',
    `No such ${resource}: '${id}'`,
    'resource_missing',
    param,
  );
}

/** The object in the path does not exist (404). */
export function noSuchObject(resource: string, id: string): StripeSimError {
  return new StripeSimError(
    404,
    'invalid_request_error',
    `No such ${resource}: '${id}'`,
    'resource_missing',
    'id',
  );
}

export function invalidParam(
  param: string,
  message: string,
  code = 'parameter_invalid_string',
): StripeSimError {
  return new StripeSimError(400, 'invalid_request_error', message, code, param);
}

export function missingParam(param: string): StripeSimError {
  return new StripeSimError(
    400,
    'invalid_request_error',
    `Missing required param: ${param}.`,
    'parameter_missing',
    param,
  );
}
