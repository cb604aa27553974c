import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { toTaskError } from '../errors.js';
import { logger } from '../logger.js';
import { lambdaHandler, observe } from './pipeline.js';

/**
 * A function invoked by EventBridge or the scheduler: Powertools logging and metrics around one
 * service call; a failure is logged and thrown with its Step Functions-style name, so the caller
 * delivers again (and in the end into its dead-letter queue).
 */
export function backgroundHandler<R>(
  name: string,
  fn: (event: unknown) => Promise<R>,
  correlationId?: (event: unknown) => unknown,
): (event: unknown, context?: Context) => Promise<R> {
  const pipeline = middy<unknown, R, Error, Context>()
    .use(observe(correlationId))
    .use({
      onError: async (request) => {
        const error = toTaskError(request.error);
        logger.error(`${name} failed`, { error: error.name, message: error.message });
        request.error = error;
      },
    })
    .handler((event) => fn(event));
  return lambdaHandler((event, context) => pipeline(event, context as never));
}
