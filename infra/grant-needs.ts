import { Arn, Stack, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ExternalSecrets } from './constructs/external-secrets.js';
import type { MarketplaceFunction } from './constructs/marketplace-function.js';
import type { ProvisioningFlow } from './constructs/provisioning-flow.js';
import { type FlowName, type FunctionNeeds, stateMachineArnVariable } from './function-needs.js';
import { findingId, resourceFinding } from './nag.js';
import { mailAddressOf } from './settings.js';

/** Item-level table actions per access level: no Scan, no table management. */
const TABLE_ACTIONS = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'],
  readWrite: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:ConditionCheckItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
  ],
} as const;

export interface GrantTargets {
  readonly table: Table;
  readonly pluginBucket: Bucket;
  readonly cursorSecret: Secret;
  readonly flows: Readonly<Record<FlowName, ProvisioningFlow>>;
  readonly secrets: ExternalSecrets;
  readonly marketplaceUrl: string;
  readonly healthCheckUrlTemplate: string;
  readonly mailFrom: string;
  readonly staffEmail: string;
}

/**
 * Gives a function the environment variables and the IAM permissions its needs stand for —
 * both from the same entry, so a variable never comes without its permission or vice versa.
 * Wildcards that remain are acknowledged here, next to the statement that causes them.
 */
export function grantNeeds(fn: MarketplaceFunction, needs: FunctionNeeds, t: GrantTargets): void {
  const stack = Stack.of(fn);

  if (needs.table) {
    fn.addEnvironment({ TABLE_NAME: t.table.tableName });
    t.table.grant(fn.role, ...TABLE_ACTIONS[needs.table]);
    Validations.of(fn).acknowledge({
      id: findingId('IAM5', resourceFinding(stack, `${t.table.tableArn}/index/*`)),
      reason: 'Queries on the GSIs of our own table (gsi1, gsi2); the wildcard only covers its indexes.',
    });
  }

  if (needs.pagesLists) {
    // shared/platform/table/db.ts signs and checks list cursors with this key.
    fn.addEnvironment({ CURSOR_SECRET_ARN: t.cursorSecret.secretArn });
    t.cursorSecret.grantRead(fn.role);
  }

  if (needs.pluginDownloads) {
    const objects = t.pluginBucket.arnForObjects('*');
    fn.addEnvironment({ PLUGIN_BUCKET: t.pluginBucket.bucketName });
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [objects] }));
    Validations.of(fn).acknowledge({
      id: findingId('IAM5', resourceFinding(stack, objects)),
      reason:
        'Presigned GETs for any plugin ZIP in the plugin bucket; which one a satellite may fetch is decided by its license.',
    });
  }

  const flowActions = new Map<FlowName, Set<string>>();
  const allow = (flows: readonly FlowName[] | undefined, ...actions: string[]) => {
    for (const flow of flows ?? []) {
      const set = flowActions.get(flow) ?? new Set<string>();
      for (const a of actions) set.add(a);
      flowActions.set(flow, set);
    }
  };
  allow(needs.startsFlows, 'states:DescribeExecution', 'states:RedriveExecution');
  allow(needs.describesFlows, 'states:DescribeExecution');
  for (const flow of needs.startsFlows ?? []) t.flows[flow].stateMachine.grantStartExecution(fn.role);
  for (const [flow, actions] of flowActions) {
    const { stateMachine, stateMachineName } = t.flows[flow];
    const executions = t.flows[flow].executionsArn();
    fn.addEnvironment({ [stateMachineArnVariable(flow)]: stateMachine.stateMachineArn });
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: [...actions].sort(), resources: [executions] }),
    );
    Validations.of(fn).acknowledge({
      id: findingId('IAM5', resourceFinding(stack, executions)),
      reason: `${[...actions].join(', ')} on executions of our own state machine ${stateMachineName} (execution names are per project and attempt).`,
    });
  }

  if (needs.callsExternal) {
    // shared/integrations/<service>/from-secret.ts: each client reads only its own secret.
    for (const service of needs.callsExternal) {
      const secret = t.secrets.secretFor(service);
      fn.addEnvironment({
        [service === 'inwx' ? 'INWX_SECRET_ARN' : 'COOLIFY_SECRET_ARN']: secret.secretArn,
      });
      secret.grantRead(fn.role);
    }
  }

  if (needs.provisioningConfig) {
    fn.addEnvironment({
      MARKETPLACE_URL: t.marketplaceUrl,
      HEALTH_CHECK_URL_TEMPLATE: t.healthCheckUrlTemplate,
    });
  }

  if (needs.reconcileConfig) fn.addEnvironment({ RECONCILE_GRACE_SECONDS: '300' });

  if (needs.sendsMail) {
    fn.addEnvironment({ MAIL_FROM: t.mailFrom, STAFF_EMAIL: t.staffEmail });
    const identities = Arn.format({ service: 'ses', resource: 'identity', resourceName: '*' }, stack);
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [identities],
        conditions: { StringEquals: { 'ses:FromAddress': mailAddressOf(t.mailFrom) } },
      }),
    );
    Validations.of(fn).acknowledge({
      id: findingId('IAM5', resourceFinding(stack, identities)),
      reason:
        'SES authorizes against the sender identity and, in the sandbox, the recipient identities; the ses:FromAddress condition pins the sender to MAIL_FROM.',
    });
  }
}
