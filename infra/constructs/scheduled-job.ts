import { Duration, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { findingId, resourceFinding } from '../nag.js';
import { deadLetterQueue } from './dead-letter-queue.js';

export interface ScheduledJobProps {
  readonly target: IFunction;
  readonly everyMinutes: number;
  readonly description: string;
}

/**
 * A job of functions/jobs/ run by EventBridge Scheduler every few minutes (the same function
 * `POST /local/jobs/<name>` runs locally). A run that cannot be delivered lands in a queue.
 */
export class ScheduledJob extends Construct {
  readonly schedule: Schedule;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(this, 'the schedule target');
    // A role of our own per job (the default one is shared by every schedule of the stack).
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('scheduler.amazonaws.com') });
    this.schedule = new Schedule(this, 'Schedule', {
      description: props.description,
      schedule: ScheduleExpression.rate(Duration.minutes(props.everyMinutes)),
      target: new LambdaInvoke(props.target, {
        input: ScheduleTargetInput.fromObject({ source: 'scheduler' }),
        retryAttempts: 2,
        maxEventAge: Duration.minutes(props.everyMinutes),
        deadLetterQueue: this.deadLetterQueue,
        role,
      }),
    });
    const policy = role.node.tryFindChild('DefaultPolicy');
    if (policy) {
      Validations.of(policy).acknowledge({
        id: findingId('IAM5', resourceFinding(this, `${props.target.functionArn}:*`)),
        reason: 'The scheduler target grants invoke on the job function and its versions; nothing else.',
      });
    }
  }
}
