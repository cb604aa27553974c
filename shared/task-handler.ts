import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { withDeadline } from './deadline.js';
import { toTaskError } from './errors.js';
import { logger } from './logger.js';

// The edge of every state-machine task Lambda: validate the state input, run one service
// function, and turn failures into Step Functions error names (Transient.* is retried).

export function taskHandler<S extends z.ZodType, R>(
  name: string,
  schema: S,
  fn: (input: z.output<S>) => Promise<R>,
): (event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>) => Promise<R> {
  return async (event, context) => {
    const parsed = schema.safeParse(event);
    if (!parsed.success) {
      const err = new Error(
        `${name}: invalid state input: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
      );
      err.name = 'Provisioning.InvalidInput';
      throw err;
    }
    try {
      const run = () => fn(parsed.data);
      return await (context ? withDeadline(context.getRemainingTimeInMillis(), run) : run());
    } catch (err) {
      const taskError = toTaskError(err);
      logger.error('task failed', { task: name, error: taskError.name, message: taskError.message });
      throw taskError;
    }
  };
}
