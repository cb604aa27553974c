import { randomUUID } from 'node:crypto';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { parseDeclaredConfigs } from '../config.js';
import { withDeadline } from '../deadline.js';
import { logger } from '../logger.js';
import { metrics } from '../metrics.js';
import { runAfterInvocation } from './after-invocation.js';

// What every Lambda pipeline (HTTP, task, event, job) starts with, and the deadline around it.

/**
 * Powertools Logger (request id, cold start, the correlation id `correlationId` finds in the
 * event) and Metrics (flushed per invocation). The id is read by a plain function: Powertools'
 * correlationIdPath would need its JMESPath engine in every bundle.
 */
export function observe(correlationId?: (event: unknown) => unknown): MiddlewareObj[] {
  const correlate: MiddlewareObj = {
    before: async (request) => {
      const id = correlationId?.(request.event);
      if (typeof id === 'string' && id) logger.setCorrelationId(id);
    },
  };
  return [
    injectLambdaContext(logger, { resetKeys: true }),
    correlate,
    publishMetrics,
    cleanUp,
  ] as MiddlewareObj[];
}

/** Closes what the invocation opened (afterEachInvocation), on success and on error. */
const cleanUp: MiddlewareObj = {
  after: async () => runAfterInvocation(),
  onError: async () => runAfterInvocation(),
};

let coldStart = true;

/**
 * Powertools' logMetrics, without its warning on every invocation that recorded nothing (most
 * do): the cold start is counted once per instance, and stored metrics are flushed when there are any.
 */
const publishMetrics: MiddlewareObj = {
  before: async (request) => {
    if (!coldStart) return;
    coldStart = false;
    metrics.captureColdStartMetric(request.context.functionName);
  },
  after: async () => flush(),
  onError: async () => flush(),
};

function flush(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}

type Handler<E, R> = (event: E, context: Context) => Promise<R>;

/**
 * The exported handler, built at init, where every config the bundle declares is parsed (a missing
 * variable fails the cold start: shared/platform/config.ts). It runs the pipeline with the
 * invocation's deadline (shared/platform/deadline.ts), so every call inside fits Lambda's remaining
 * time. Outside Lambda (scripts, handler tests) there is no context; then the invocation gets one
 * with a 60 s budget.
 */
export function lambdaHandler<E, R>(pipeline: Handler<E, R>): (event: E, context?: Context) => Promise<R> {
  parseDeclaredConfigs();
  return (event, context = outsideLambda()) =>
    withDeadline(context.getRemainingTimeInMillis(), () => pipeline(event, context));
}

function outsideLambda(): Context {
  const deadline = Date.now() + 60_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'outside-lambda',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-central-1:000000000000:function:outside-lambda',
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: 'outside-lambda',
    logStreamName: 'outside-lambda',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
