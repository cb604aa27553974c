import { CfnOutput, Duration, NestedStack, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { routeList } from '../functions/routes.js';
import {
  eventFunctions,
  type JobName,
  jobFunctions,
  stateMachines,
  type TaskFunctionName,
  taskFunctions,
} from '../functions/tasks.js';
import { DataStore } from './constructs/data-store.js';
import { ExecutionStatusRule } from './constructs/execution-status-rule.js';
import { ExternalSecrets } from './constructs/external-secrets.js';
import { MarketplaceHttpApi, MarketplaceHttpRoutes } from './constructs/http-api.js';
import { MarketplaceFunction } from './constructs/marketplace-function.js';
import { ProvisioningFlow } from './constructs/provisioning-flow.js';
import { ScheduledJob } from './constructs/scheduled-job.js';
import { StaffAlarms } from './constructs/staff-alarms.js';
import { UserDirectory } from './constructs/user-directory.js';
import {
  apiFunctionNeeds,
  eventFunctionNeeds,
  type FlowName,
  FUNCTION_TIMEOUT_SECONDS,
  type FunctionKind,
  type FunctionNeeds,
  jobFunctionNeeds,
  taskFunctionNeeds,
} from './function-needs.js';
import { grantNeeds } from './grant-needs.js';
import type { MarketplaceSettings } from './settings.js';

export interface MarketplaceStackProps extends StackProps {
  readonly settings: MarketplaceSettings;
}

/** Fixed state machine names, so execution ARNs can be written without a reference. */
export const stateMachineName = (flow: FlowName): string => `vrs-${flow}`;

const pascal = (s: string): string => s.replace(/(^|-)([a-z])/g, (_, _dash, c: string) => c.toUpperCase());

/**
 * The marketplace on AWS: one table, a plugin bucket, Cognito, the HTTP API built from
 * functions/routes.ts, one Lambda per handler/task, the provisioning state machines from
 * state-machines/*.asl.json and the EventBridge rule that feeds their status back.
 *
 * The API's stage, routes and functions are in the nested stack `Api` (CloudFormation takes at most
 * 500 resources per stack; docs/decisions/0012-api-nested-stack.md); everything else is here.
 */
export class MarketplaceStack extends Stack {
  /** Every Lambda of the app: `api/<handler>`, `tasks/<name>`, `events/<name>` → function. */
  readonly functions = new Map<string, MarketplaceFunction>();
  readonly flows: Record<FlowName, ProvisioningFlow>;
  /** The nested stack with the API's stage, routes, authorizer and functions. */
  readonly apiStack: NestedStack;

  constructor(scope: Construct, id: string, props: MarketplaceStackProps) {
    super(scope, id, props);
    const { settings } = props;

    const data = new DataStore(this, 'Data');
    const users = new UserDirectory(this, 'Users');
    const secrets = new ExternalSecrets(this, 'Secrets', {
      inwxUrl: settings.inwxUrl,
      coolifyBaseUrl: settings.coolifyBaseUrl,
    });

    // Values cross into the nested stack as CDK's cross-stack references (its parameters). The
    // HttpApi itself stays here: its URL goes to task functions, which the state machines reference,
    // which the API's functions start; as an output of the nested stack it would close a cycle.
    this.apiStack = new NestedStack(this, 'Api', {
      description: "VRS Marketplace: the HTTP API's stage, routes and functions",
    });

    // One log group per kind of function (see MarketplaceFunctionProps.logGroup); the API's
    // functions write to theirs across the nested stack boundary.
    const logGroups = Object.fromEntries(
      (['api', 'task', 'event', 'job'] as const).map((kind) => [
        kind,
        new LogGroup(this, `${pascal(kind)}FunctionLogs`, {
          retention: settings.logRetention,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
      ]),
    ) as Record<FunctionKind, LogGroup>;

    const newFunction = (
      key: string,
      id: string,
      description: string,
      kind: FunctionKind,
      bundledFiles: readonly string[] = [],
    ) => {
      const fn = new MarketplaceFunction(kind === 'api' ? this.apiStack : this, id, {
        entry: key,
        description,
        timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS[kind]),
        memorySize: kind === 'task' ? 512 : 256,
        logGroup: logGroups[kind],
        bundledFiles,
      });
      this.functions.set(key, fn);
      return fn;
    };

    // Functions first (no permissions yet): state machines and the API need their ARNs.
    const apiFunctions: Record<string, MarketplaceFunction> = {};
    for (const [, route] of routeList) {
      apiFunctions[route.handler] ??= newFunction(
        `api/${route.handler}`,
        `Api${pascal(route.handler)}`,
        `${route.method} ${route.path}: ${route.summary}`.slice(0, 256),
        'api',
        apiFunctionNeeds[route.handler as keyof typeof apiFunctionNeeds]?.bundledFiles,
      );
    }
    const tasks = Object.fromEntries(
      Object.entries(taskFunctions).map(([name, entry]) => [
        name,
        newFunction(entry, `Task${name}`, `State machine task ${name}`, 'task'),
      ]),
    ) as Record<TaskFunctionName, MarketplaceFunction>;
    const executionStatusChanged = newFunction(
      eventFunctions.ExecutionStatusChanged,
      'EventExecutionStatusChanged',
      'Step Functions execution status changes → project status, log, staff mail',
      'event',
    );

    const jobs = Object.fromEntries(
      Object.entries(jobFunctions).map(([name, job]) => [
        name,
        newFunction(job.entry, `Job${pascal(name)}`, `Scheduled job ${name}`, 'job'),
      ]),
    ) as Record<JobName, MarketplaceFunction>;

    const taskFns = Object.fromEntries(Object.entries(tasks).map(([name, f]) => [name, f.fn]));
    this.flows = Object.fromEntries(
      (Object.entries(stateMachines) as [FlowName, string][]).map(([flow, file]) => [
        flow,
        new ProvisioningFlow(this, `Flow${pascal(flow)}`, {
          stateMachineName: stateMachineName(flow),
          definitionFile: file,
          taskFunctions: taskFns,
          logRetention: settings.logRetention,
        }),
      ]),
    ) as Record<FlowName, ProvisioningFlow>;

    const http = new MarketplaceHttpApi(this, 'Http', { webOrigins: settings.webOrigins });
    new MarketplaceHttpRoutes(this.apiStack, 'Http', {
      httpApi: http.api,
      routes: routeList,
      handlers: Object.fromEntries(Object.entries(apiFunctions).map(([h, f]) => [h, f.fn])),
      userPool: users.userPool,
      userPoolClient: users.client,
      throttle: settings.apiThrottle,
      logRetention: settings.logRetention,
    });

    const events = new ExecutionStatusRule(this, 'ExecutionStatus', {
      stateMachines: Object.values(this.flows).map((f) => f.stateMachine),
      target: executionStatusChanged.fn,
    });

    const schedules = Object.entries(jobFunctions).map(
      ([name, job]) =>
        new ScheduledJob(this, `Schedule${pascal(name)}`, {
          target: jobs[name as JobName].fn,
          everyMinutes: job.everyMinutes,
          description: `Runs the ${name} job every ${job.everyMinutes} minutes`,
        }),
    );
    new StaffAlarms(this, 'Alarms', {
      staffEmail: settings.staffEmail,
      stateMachines: Object.values(this.flows).map((f) => f.stateMachine),
      deadLetterQueues: [events.deadLetterQueue, ...schedules.map((s) => s.deadLetterQueue)],
    });

    // Environment and permissions, from one table (infra/function-needs.ts).
    const wire = (fn: MarketplaceFunction, needs: FunctionNeeds): void =>
      grantNeeds(fn, needs, {
        table: data.table,
        pluginBucket: data.pluginBucket,
        cursorSecret: data.cursorSecret,
        previewCodeSecret: data.previewCodeSecret,
        licenseKeySecret: data.licenseKeySecret,
        authCodeKey: data.authCodeKey,
        flows: this.flows,
        secrets,
        marketplaceUrl: settings.marketplaceUrl ?? http.url,
        healthCheckUrlTemplate: settings.healthCheckUrlTemplate,
        mailFrom: settings.mailFrom,
        staffEmail: settings.staffEmail,
        inwxContactHandles: settings.inwxContactHandles,
        // The first CORS origin is the web UI.
        webAppUrl: settings.webOrigins[0] ?? 'https://marketplace.vrs.gmbh',
        billingPolicy: settings.billingPolicy,
      });
    for (const [handler, fn] of Object.entries(apiFunctions))
      wire(fn, apiFunctionNeeds[handler as keyof typeof apiFunctionNeeds]);
    for (const [name, fn] of Object.entries(tasks)) wire(fn, taskFunctionNeeds[name as TaskFunctionName]);
    wire(executionStatusChanged, eventFunctionNeeds.ExecutionStatusChanged);
    for (const [name, fn] of Object.entries(jobs)) wire(fn, jobFunctionNeeds[name as JobName]);

    const outputs: Record<string, [string, string]> = {
      ApiUrl: [http.url, 'Base URL of the HTTP API (routes start with /v1)'],
      UserPoolId: [users.userPool.userPoolId, 'Cognito user pool'],
      UserPoolClientId: [users.client.userPoolClientId, 'Cognito app client (JWT audience)'],
      PluginBucketName: [data.pluginBucket.bucketName, 'Private bucket for plugin ZIPs'],
      TableName: [data.table.tableName, 'The single DynamoDB table'],
      ProvisionSubdomainStateMachineArn: [this.flows['provision-subdomain'].stateMachine.stateMachineArn, ''],
      DeployProjectStateMachineArn: [this.flows['deploy-project'].stateMachine.stateMachineArn, ''],
      SuspendProjectStateMachineArn: [this.flows['suspend-project'].stateMachine.stateMachineArn, ''],
      ResumeProjectStateMachineArn: [this.flows['resume-project'].stateMachine.stateMachineArn, ''],
      ArchiveProjectStateMachineArn: [this.flows['archive-project'].stateMachine.stateMachineArn, ''],
      TakeoverProjectStateMachineArn: [this.flows['takeover-project'].stateMachine.stateMachineArn, ''],
      InwxSecretArn: [secrets.inwx.secretArn, 'Fill {"url","user","pass"}'],
      CoolifySecretArn: [secrets.coolify.secretArn, 'Fill {"baseUrl","token"}'],
      StripeSecretArn: [secrets.stripe.secretArn, 'Fill {"secretKey","webhookSecret"}'],
      LicenseKeySecretArn: [
        data.licenseKeySecret.secretArn,
        'Add the first key: npm run license-keys -- add',
      ],
      ExecutionEventsDeadLetterQueueUrl: [events.deadLetterQueue.queueUrl, 'Undeliverable status events'],
    };
    for (const [name, [value, description]] of Object.entries(outputs)) {
      new CfnOutput(this, name, { value, ...(description ? { description } : {}) });
    }
  }
}
