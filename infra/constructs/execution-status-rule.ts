import { Duration } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { deadLetterQueue } from './dead-letter-queue.js';

/** The statuses the project record reacts to (docs/architecture.md §2). */
export const WATCHED_STATUSES = ['RUNNING', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;

export interface ExecutionStatusRuleProps {
  readonly stateMachines: readonly IStateMachine[];
  readonly target: IFunction;
}

/**
 * "Step Functions Execution Status Change" of our state machines → the execution-status function,
 * which moves the project to `error` (and mails staff) or back to in-progress after a redrive.
 * Deliveries that keep failing land in a dead-letter queue instead of being dropped.
 */
export class ExecutionStatusRule extends Construct {
  readonly rule: Rule;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: ExecutionStatusRuleProps) {
    super(scope, id);

    this.deadLetterQueue = deadLetterQueue(this, 'the EventBridge target');

    this.rule = new Rule(this, 'Rule', {
      description: 'Step Functions execution status changes of the provisioning flows',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          stateMachineArn: props.stateMachines.map((sm) => sm.stateMachineArn),
          status: [...WATCHED_STATUSES],
        },
      },
    });
    this.rule.addTarget(
      new LambdaFunction(props.target, {
        retryAttempts: 8,
        maxEventAge: Duration.hours(6),
        deadLetterQueue: this.deadLetterQueue,
      }),
    );
  }
}
