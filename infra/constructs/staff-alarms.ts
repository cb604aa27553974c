import { Duration, Validations } from 'aws-cdk-lib';
import { type Alarm, ComparisonOperator, MathExpression, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface StaffAlarmsProps {
  readonly staffEmail: string;
  readonly stateMachines: readonly StateMachine[];
  /** Queues whose messages mean something was not delivered (status events, scheduled jobs). */
  readonly deadLetterQueues: readonly IQueue[];
}

/**
 * Staff hear of failures even when our own mail path is what failed: CloudWatch alarms on failed
 * executions and on undelivered events, sent to the staff address through SNS.
 */
export class StaffAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: StaffAlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { displayName: 'VRS Marketplace alarms', enforceSSL: true });
    this.topic.addSubscription(new EmailSubscription(props.staffEmail));
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm notifications carry no customer data or secrets; CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key.',
    });
    const action = new SnsAction(this.topic);

    props.stateMachines.forEach((sm, i) => {
      const failed = new MathExpression({
        expression: 'failed + timedOut + aborted',
        usingMetrics: {
          failed: sm.metricFailed({ period: Duration.minutes(5) }),
          timedOut: sm.metricTimedOut({ period: Duration.minutes(5) }),
          aborted: sm.metricAborted({ period: Duration.minutes(5) }),
        },
        label: 'Executions that did not succeed',
      });
      this.alarms.push(
        failed.createAlarm(this, `ExecutionsFailed${i}`, {
          alarmDescription: `An execution of ${sm.node.path} failed, timed out or was aborted; see the project in error and redrive.`,
          threshold: 0,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    });
    props.deadLetterQueues.forEach((queue, i) => {
      this.alarms.push(
        queue
          .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) })
          .createAlarm(this, `Undelivered${i}`, {
            alarmDescription: `Undelivered events wait in ${queue.node.path}; the projects they concern may not show their real status.`,
            threshold: 0,
            comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluationPeriods: 1,
            treatMissingData: TreatMissingData.NOT_BREACHING,
          }),
      );
    });
    for (const alarm of this.alarms) alarm.addAlarmAction(action);
  }
}
