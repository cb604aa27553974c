import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { AppError, type FieldError, isTransactionConflict } from '../errors.js';

// RFC 9457 problem details: the one place where errors become HTTP responses.

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors: FieldError[];
}

const TYPE_BASE = 'https://marketplace.vrs.gmbh/problems/';

/** Keeps answers to junk (thousands of unknown fields) small; the detail says what was left out. */
export const MAX_LISTED_ERRORS = 50;

export function problemResponse(
  problem: Problem,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: { 'content-type': 'application/problem+json', ...headers },
    body: JSON.stringify(problem),
  };
}

export function problemFromError(err: unknown): Problem {
  if (err instanceof AppError && err.status < 500) {
    const unlisted = err.errors.length - MAX_LISTED_ERRORS;
    return {
      type: TYPE_BASE + err.type,
      title: err.title,
      status: err.status,
      detail: unlisted > 0 ? `${err.message} ${unlisted} more problems are not listed.` : err.message,
      errors: err.errors.slice(0, MAX_LISTED_ERRORS),
    };
  }
  if (err instanceof AppError) {
    // 5xx: say what failed without internals.
    return {
      type: TYPE_BASE + err.type,
      title: err.title,
      status: 503,
      detail: 'Please try again later.',
      errors: [],
    };
  }
  if (isTransactionConflict(err)) {
    return {
      type: `${TYPE_BASE}busy`,
      title: 'Busy',
      status: 503,
      detail: 'Another change to the same data was being made at that moment. Please try again.',
      errors: [],
    };
  }
  return {
    type: `${TYPE_BASE}internal-error`,
    title: 'Internal error',
    status: 500,
    detail: 'Something went wrong on our side. It has been logged.',
    errors: [],
  };
}
