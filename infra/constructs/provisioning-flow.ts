import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Arn, ArnFormat, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { REPO_ROOT } from './marketplace-function.js';

const PLACEHOLDER = /\$\{([A-Za-z0-9]+)FunctionArn\}/g;

/** The task names (`${<name>FunctionArn}`) an ASL file refers to. */
export function placeholdersOf(definition: string): string[] {
  return [...new Set([...definition.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

export interface ProvisioningFlowProps {
  /** The state machine's name (fixed, so execution ARNs can be built without a reference). */
  readonly stateMachineName: string;
  /** ASL file below state-machines/. */
  readonly definitionFile: string;
  /** Task functions by placeholder name; must cover every placeholder of the file. */
  readonly taskFunctions: Readonly<Record<string, IFunction>>;
  readonly logRetention: RetentionDays;
}

/**
 * A Standard state machine from an ASL file in state-machines/, its `${<Name>FunctionArn}`
 * placeholders substituted with the task functions' ARNs. It may invoke exactly those functions.
 */
export class ProvisioningFlow extends Construct {
  readonly stateMachine: StateMachine;
  readonly stateMachineName: string;

  constructor(scope: Construct, id: string, props: ProvisioningFlowProps) {
    super(scope, id);
    this.stateMachineName = props.stateMachineName;

    const definition = readFileSync(path.join(REPO_ROOT, 'state-machines', props.definitionFile), 'utf8');
    const tasks = placeholdersOf(definition).map((name) => {
      const fn = props.taskFunctions[name];
      if (!fn) throw new Error(`${props.definitionFile}: no task function for \${${name}FunctionArn}`);
      return { name, fn };
    });

    const logGroup = new LogGroup(this, 'Logs', {
      // Vended-logs log groups for Step Functions should start with /aws/vendedlogs/.
      logGroupName: `/aws/vendedlogs/states/${props.stateMachineName}`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(definition),
      definitionSubstitutions: Object.fromEntries(
        tasks.map(({ name, fn }) => [`${name}FunctionArn`, fn.functionArn]),
      ),
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    // Unqualified function ARNs in the definition, so no `:*` (version/alias) wildcard is needed.
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: tasks.map(({ fn }) => fn.functionArn),
      }),
    );

    const policy = this.stateMachine.role.node.tryFindChild('DefaultPolicy');
    if (policy) {
      Validations.of(policy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray (PutTraceSegments, PutTelemetryRecords, GetSampling*) and CloudWatch Logs vended delivery (CreateLogDelivery, ...) do not support resource-level permissions.',
      });
    }
  }

  /** ARN pattern of this machine's executions (for states:RedriveExecution). */
  executionsArn(): string {
    return Arn.format(
      {
        service: 'states',
        resource: 'execution',
        resourceName: `${this.stateMachineName}:*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      },
      Stack.of(this),
    );
  }
}
