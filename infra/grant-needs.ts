import { Arn, Stack, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { RATE_LIMIT_KEY_PREFIX } from '../shared/platform/rate-limit/rate-limits-table.js';
import type { ExternalSecrets } from './constructs/external-secrets.js';
import type { MarketplaceFunction } from './constructs/marketplace-function.js';
import type { ProvisioningFlow } from './constructs/provisioning-flow.js';
import { type EnvironmentTargets, environmentFor } from './function-environment.js';
import type { FlowName, FunctionNeeds } from './function-needs.js';
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
  readonly previewCodeSecret: Secret;
  readonly licenseKeySecret: Secret;
  readonly authCodeKey: Key;
  readonly flows: Readonly<Record<FlowName, ProvisioningFlow>>;
  readonly secrets: ExternalSecrets;
  readonly marketplaceUrl: string;
  readonly healthCheckUrlTemplate: string;
  readonly mailFrom: string;
  readonly staffEmail: string;
  readonly inwxContactHandles: string;
  readonly webAppUrl: string;
  readonly billingPolicy: EnvironmentTargets['billingPolicy'];
}

/**
 * Gives a function the environment variables (function-environment.ts) and the IAM permissions its needs stand for —
 * both from the same entry, so a variable never comes without its permission or vice versa.
 * Wildcards that remain are acknowledged here, next to the statement that causes them.
 */
export function grantNeeds(fn: MarketplaceFunction, needs: FunctionNeeds, t: GrantTargets): void {
  const stack = Stack.of(fn);
  fn.addEnvironment(
    environmentFor(needs, {
      tableName: t.table.tableName,
      cursorSecretArn: t.cursorSecret.secretArn,
      previewCodeSecretArn: t.previewCodeSecret.secretArn,
      licenseKeySecretArn: t.licenseKeySecret.secretArn,
      pluginBucket: t.pluginBucket.bucketName,
      stateMachineArn: (flow) => t.flows[flow].stateMachine.stateMachineArn,
      externalSecretArn: (service) => t.secrets.secretFor(service).secretArn,
      marketplaceUrl: t.marketplaceUrl,
      healthCheckUrlTemplate: t.healthCheckUrlTemplate,
      mailFrom: t.mailFrom,
      staffEmail: t.staffEmail,
      reconcileGraceSeconds: '300',
      authCodeKeyId: t.authCodeKey.keyArn,
      inwxContactHandles: t.inwxContactHandles,
      webAppUrl: t.webAppUrl,
      billingPolicy: t.billingPolicy,
    }),
  );

  // SendTaskSuccess/Failure/Heartbeat on the flow's state machine (the token names the task).
  for (const flow of needs.answersTaskTokens ?? []) t.flows[flow].stateMachine.grantTaskResponse(fn.role);

  if (needs.authCodes === 'encrypt') t.authCodeKey.grant(fn.role, 'kms:Encrypt');
  if (needs.authCodes === 'decrypt') t.authCodeKey.grant(fn.role, 'kms:Decrypt');

  if (needs.table) {
    t.table.grant(fn.role, ...TABLE_ACTIONS[needs.table]);
    Validations.of(fn).acknowledge({
      id: findingId('IAM5', resourceFinding(stack, `${t.table.tableArn}/index/*`)),
      reason: 'Queries on the GSIs of our own table (gsi1, gsi2); the wildcard only covers its indexes.',
    });
  }

  if (needs.countsCalls) {
    // Per-caller counters only: the partition key must start with RATELIMIT#.
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:UpdateItem'],
        resources: [t.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${RATE_LIMIT_KEY_PREFIX}*`] } },
      }),
    );
  }

  if (needs.pagesLists) {
    // shared/platform/table/db.ts signs and checks list cursors with this key.
    t.cursorSecret.grantRead(fn.role);
  }

  // shared/preview/preview-code-key.ts hashes preview codes with this key.
  if (needs.previewCodes) t.previewCodeSecret.grantRead(fn.role);
  // The license signing key ring: read only (operators add and retire keys, docs/operations.md).
  if (needs.signsLicenses) t.licenseKeySecret.grantRead(fn.role);

  if (needs.pluginDownloads) {
    const objects = t.pluginBucket.arnForObjects('*');
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [objects] }));
    Validations.of(fn).acknowledge({
      id: findingId('IAM5', resourceFinding(stack, objects)),
      reason:
        'Presigned GETs for any plugin ZIP in the plugin bucket; which one a satellite may fetch is decided by its license.',
    });
  }

  if (needs.pluginReleases) grantPluginReleases(fn, needs.pluginReleases, t.pluginBucket);

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
    const { stateMachineName } = t.flows[flow];
    const executions = t.flows[flow].executionsArn();
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
    for (const service of needs.callsExternal) t.secrets.secretFor(service).grantRead(fn.role);
  }

  if (needs.sendsMail) {
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

/** Staff's plugin releases: uploads under `uploads/`, released ZIPs under `plugins/` (never overwritten: keys name the checksum). */
function grantPluginReleases(fn: MarketplaceFunction, kind: 'upload' | 'publish', bucket: Bucket): void {
  const stack = Stack.of(fn);
  const uploads = bucket.arnForObjects('uploads/*');
  const releases = bucket.arnForObjects('plugins/*');
  const statements =
    kind === 'upload'
      ? [{ actions: ['s3:PutObject'], resources: [uploads] }]
      : [
          { actions: ['s3:DeleteObject', 's3:GetObject'], resources: [uploads] },
          { actions: ['s3:PutObject'], resources: [releases] },
          { actions: ['s3:ListBucket'], resources: [bucket.bucketArn] },
        ];
  for (const s of statements) fn.role.addToPrincipalPolicy(new PolicyStatement(s));
  Validations.of(fn).acknowledge({
    id: findingId('IAM5', resourceFinding(stack, uploads)),
    reason: 'Staff upload plugin ZIPs to a staging key per plugin version under uploads/.',
  });
  if (kind === 'publish') {
    Validations.of(fn).acknowledge({
      id: findingId('IAM5', resourceFinding(stack, releases)),
      reason: 'A published plugin ZIP is written under plugins/ with a key naming its checksum.',
    });
  }
}
