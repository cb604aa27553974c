// One error hierarchy for the whole backend. HTTP mapping lives in shared/platform/http/problem.ts,
// Step Functions error names in toTaskError() below: both in one place each.

export interface FieldError {
  path: string;
  message: string;
}

export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly type: string;
  abstract readonly title: string;
  readonly errors: FieldError[];

  constructor(message: string, errors: FieldError[] = []) {
    super(message);
    this.name = new.target.name;
    this.errors = errors;
  }
}

export class ValidationError extends AppError {
  readonly status = 400;
  readonly type = 'validation-error';
  readonly title = 'Invalid request';
}

export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly type = 'unauthorized';
  readonly title = 'Missing or invalid credentials';
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly type = 'forbidden';
  readonly title = 'Not allowed';
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly type = 'not-found';
  readonly title = 'Not found';
}

export class ConflictError extends AppError {
  readonly status = 409;
  readonly type = 'conflict';
  readonly title = 'Conflict';
}

export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  readonly type = 'payload-too-large';
  readonly title = 'Request body too large';
}

/** A valid request for something a later release implements (e.g. domain registration). */
export class NotAvailableYetError extends AppError {
  readonly status = 422;
  readonly type = 'not-available-yet';
  readonly title = 'Not available yet';
}

/** Every active server accepting new projects is full: staff must add or open one before a retry. */
export class NoFreeServerError extends AppError {
  readonly status = 409;
  readonly type = 'no-free-server';
  readonly title = 'No free server';

  constructor(message = 'no free server: add or open a server, then retry') {
    super(message);
  }
}

/** A valid request for something we do not sell (e.g. a plugin without a price in that cycle). */
export class NotAvailableError extends AppError {
  readonly status = 422;
  readonly type = 'not-available';
  readonly title = 'Not available';
}

/** A valid request that the current state makes impossible (e.g. extending a license to the past). */
export class NotPossibleError extends AppError {
  readonly status = 422;
  readonly type = 'not-possible';
  readonly title = 'Not possible now';
}

export class RateLimitedError extends AppError {
  readonly status = 429;
  readonly type = 'rate-limited';
  readonly title = 'Too many requests';

  constructor(
    message: string,
    errors: FieldError[] = [],
    /** When to try again (the Retry-After header). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message, errors);
  }
}

/**
 * A custom domain cannot be had: no longer available, not in our account, the transfer refused or
 * the registry gave up. A business outcome, not a fault: the attach-domain flow catches it
 * (`Domain.<outcome>`), fails the domain with this message for the customer, and the project stays live.
 */
export class DomainRefusedError extends AppError {
  readonly status = 422;
  readonly type = 'domain-refused';
  readonly title = 'Domain not possible';

  constructor(
    readonly outcome: 'Unavailable' | 'NotInAccount' | 'TransferRefused' | 'RegistrationFailed',
    message: string,
  ) {
    super(message);
  }
}

export type ExternalService = 'inwx' | 'coolify' | 'stripe' | 'mail' | 'satellite' | 'aws';

/** A call to INWX, Coolify, Stripe, SES ... failed. `transient` errors are worth retrying. */
export class ExternalServiceError extends AppError {
  readonly status = 502;
  readonly type = 'external-service-error';
  readonly title = 'An external service failed';

  constructor(
    readonly service: ExternalService,
    message: string,
    readonly transient: boolean,
    readonly code?: string | number,
  ) {
    super(`${service}: ${message}`);
  }
}

/** The one error name every task's Retry treats as transient; the cause is in the message. */
export const TRANSIENT = 'Transient';

/**
 * Error name as Step Functions sees it. `Transient` is retried by every task's Retry block;
 * anything else fails the execution at that task (so a redrive resumes there).
 */
export function toTaskError(err: unknown): Error {
  if (err instanceof ExternalServiceError) {
    const e = new Error(err.message);
    e.name = err.transient ? TRANSIENT : `External.${capitalize(err.service)}`;
    return e;
  }
  if (err instanceof TransientError) return err;
  if (err instanceof DomainRefusedError) {
    const e = new Error(err.message);
    e.name = `Domain.${err.outcome}`;
    return e;
  }
  if (err instanceof AppError) {
    const e = new Error(err.message);
    e.name = `Provisioning.${err.name.replace(/Error$/, '')}`;
    return e;
  }
  const sdk = err as { name?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (isTransactionConflict(err)) {
    // Another transaction touched the same item at that moment: running again succeeds.
    const e = new Error(`aws: ${(err as Error).message}`);
    e.name = TRANSIENT;
    return e;
  }
  if (sdk?.$metadata) {
    // An AWS SDK error (DynamoDB, S3, ...) that survived the SDK's own retries.
    const status = sdk.$metadata.httpStatusCode ?? 0;
    const e = new Error(`${sdk.name ?? 'AWS error'}: ${(err as Error).message}`);
    if (sdk.$retryable || status >= 500 || status === 0) {
      e.name = TRANSIENT;
      e.message = `aws: ${e.message}`;
    } else e.name = 'External.Aws';
    return e;
  }
  if (err instanceof Error) return err;
  return new Error(String(err));
}

/** A condition that will likely clear by itself (e.g. project still marked `error` while a redrive starts). */
export class TransientError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(`${reason}: ${message}`);
    this.name = TRANSIENT;
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** DynamoDB cancelled a transaction because another one touched the same item at that moment. */
export function isTransactionConflict(err: unknown): boolean {
  const e = err as { name?: string; CancellationReasons?: { Code?: string }[] };
  return (
    e?.name === 'TransactionConflictException' ||
    (e?.name === 'TransactionCanceledException' &&
      (e.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict'))
  );
}
