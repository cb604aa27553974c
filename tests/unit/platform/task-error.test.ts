import { ConditionalCheckFailedException, InternalServerError } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  ExternalServiceError,
  NoFreeServerError,
  NotFoundError,
  TransientError,
  toTaskError,
  ValidationError,
} from '../../../shared/platform/errors.js';

// Step Functions retries the one name `Transient` (state-machines/*.asl.json) and fails on the rest;
// a transient error's cause is in its message.

describe('toTaskError', () => {
  it('names a transient Coolify failure Transient, so the task is retried', () => {
    // Act
    const err = toTaskError(new ExternalServiceError('coolify', 'deploy returned 502', true, 502));

    // Assess
    expect(err.name).toBe('Transient');
    expect(err.message).toBe('coolify: deploy returned 502');
  });

  it('names a permanent INWX failure External.Inwx, so the execution fails there', () => {
    // Act
    const err = toTaskError(new ExternalServiceError('inwx', 'Object exists', false, 2302));

    // Assess
    expect(err.name).toBe('External.Inwx');
    expect(err.message).toBe('inwx: Object exists');
  });

  it.each([
    ['ValidationError', 'Provisioning.Validation', new ValidationError('subdomain is reserved')],
    ['NotFoundError', 'Provisioning.NotFound', new NotFoundError('project not found')],
    ['ConflictError', 'Provisioning.Conflict', new ConflictError('cannot change from active to error')],
    ['NoFreeServerError', 'Provisioning.NoFreeServer', new NoFreeServerError()],
  ])('names our own %s %s, so the execution fails there', (_kind, name, error) => {
    // Act
    const err = toTaskError(error);

    // Assess
    expect(err.name).toBe(name);
    expect(err.message).toBe(error.message);
  });

  it('passes a TransientError through with its own reason', () => {
    // Prepare
    const original = new TransientError('ProjectInError', 'still marked error');

    // Act
    const err = toTaskError(original);

    // Assess
    expect(err).toBe(original);
    expect(err.name).toBe('Transient');
    expect(err.message).toBe('ProjectInError: still marked error');
  });

  it('names an AWS SDK error with HTTP 500 Transient, its cause in the message', () => {
    // Prepare
    const sdkError = new InternalServerError({
      message: 'Internal server error',
      $metadata: { httpStatusCode: 500, requestId: 'R4ND0M', attempts: 3 },
    });

    // Act
    const err = toTaskError(sdkError);

    // Assess
    expect(err.name).toBe('Transient');
    expect(err.message).toBe('aws: InternalServerError: Internal server error');
  });

  it('names a throttled AWS call Transient even though it is a 400', () => {
    // Prepare
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $retryable: { throttling: true },
      $metadata: { httpStatusCode: 400 },
    });

    // Act
    const err = toTaskError(throttled);

    // Assess
    expect(err.name).toBe('Transient');
  });

  it('names a transaction that collided with another one Transient, so the task runs again', () => {
    // Prepare: DynamoDB's answer when two transactions touch the same item at once.
    const conflict = Object.assign(new Error('Transaction cancelled [None, TransactionConflict]'), {
      name: 'TransactionCanceledException',
      CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }],
      $metadata: { httpStatusCode: 400 },
    });

    // Act
    const err = toTaskError(conflict);

    // Assess
    expect(err.name).toBe('Transient');
  });

  it('names a rejected AWS request External.Aws, so it is not retried blindly', () => {
    // Prepare
    const sdkError = new ConditionalCheckFailedException({
      message: 'The conditional request failed',
      $metadata: { httpStatusCode: 400 },
    });

    // Act
    const err = toTaskError(sdkError);

    // Assess
    expect(err.name).toBe('External.Aws');
  });

  it('keeps an unknown Error as it is and wraps anything else in an Error', () => {
    // Prepare
    const plain = new TypeError('x is undefined');

    // Act
    const fromError = toTaskError(plain);
    const fromString = toTaskError('boom');

    // Assess
    expect(fromError).toBe(plain);
    expect(fromString).toBeInstanceOf(Error);
    expect(fromString.message).toBe('boom');
  });
});
