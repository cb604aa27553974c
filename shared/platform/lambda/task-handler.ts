import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { toTaskError } from '../errors.js';
import { logger } from '../logger.js';
import { countTaskFailure } from '../metrics.js';
import { lambdaHandler, observe } from './pipeline.js';

// The edge of every state-machine task Lambda: a middy pipeline of Powertools logging (correlated
// by execution ARN and project id) and metrics, validation of the state input, and the mapping of
// failures to Step Functions error names (`Transient` is retried) — around one service call.

/** The state input every task receives besides its own fields (ASL: "executionArn.$": "$$.Execution.Id"). */
interface TaskEvent {
  executionArn?: string;
  projectId?: string;
}

type TaskContext<S extends z.ZodType> = Context & { input: z.output<S> };

export function taskHandler<S extends z.ZodType, R>(
  name: string,
  schema: S,
  fn: (input: z.output<S>) => Promise<R>,
): (event: unknown, context?: Context) => Promise<R> {
  const pipeline = middy<unknown, R, Error, TaskContext<S>>()
    .use(observe((event) => (event as TaskEvent | null)?.executionArn))
    .use(taskErrors(name))
    .use(stateInput(name, schema))
    .handler((_event, context) => fn(context.input));
  return lambdaHandler((event, context) => pipeline(event, context as never));
}

function stateInput<S extends z.ZodType>(
  name: string,
  schema: S,
): MiddlewareObj<unknown, unknown, Error, TaskContext<S>> {
  return {
    before: async (request) => {
      const event = (request.event ?? {}) as TaskEvent;
      if (typeof event.projectId === 'string') logger.appendKeys({ projectId: event.projectId });
      const parsed = schema.safeParse(request.event);
      if (!parsed.success) {
        const err = new Error(
          `${name}: invalid state input: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
        );
        err.name = 'Provisioning.InvalidInput';
        throw err;
      }
      request.context.input = parsed.data;
    },
  };
}

/** Failures leave as Step Functions error names, logged and counted per task. */
function taskErrors(name: string): MiddlewareObj<unknown, unknown, Error, Context> {
  return {
    onError: async (request) => {
      const taskError =
        request.error?.name === 'Provisioning.InvalidInput' ? request.error : toTaskError(request.error);
      logger.error('task failed', { task: name, error: taskError.name, message: taskError.message });
      countTaskFailure(name);
      request.error = taskError;
    },
  };
}
