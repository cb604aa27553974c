import {
  type ExternalService,
  type FlowName,
  type FunctionNeeds,
  stateMachineArnVariable,
} from './function-needs.js';

// The environment variables a function's needs stand for, in one place: CDK fills them with tokens
// (grant-needs.ts, next to the matching IAM grants), the local runtime with local values — so a
// variable a function lacks on AWS is lacking locally too.

export interface EnvironmentTargets {
  readonly tableName: string;
  readonly cursorSecretArn: string;
  readonly previewCodeSecretArn: string;
  readonly licenseKeySecretArn: string;
  readonly pluginBucket: string;
  /** A function, not a record: on AWS only the flows a function uses may be referenced (no cycles). */
  readonly stateMachineArn: (flow: FlowName) => string;
  readonly externalSecretArn: (service: ExternalService) => string;
  readonly marketplaceUrl: string;
  readonly healthCheckUrlTemplate: string;
  readonly mailFrom: string;
  readonly staffEmail: string;
  readonly reconcileGraceSeconds: string;
  readonly authCodeKeyId: string;
  /** Our admin/tech/billing contact handles at INWX: one id, or three comma-separated. */
  readonly inwxContactHandles: string;
  /** The web UI's address (Stripe Checkout returns there). */
  readonly webAppUrl: string;
  readonly billingPolicy: {
    graceDays: number;
    archiveAfterDays: number;
    trialReminderDays: readonly number[];
  };
}

const SECRET_VARIABLE: Record<ExternalService, string> = {
  inwx: 'INWX_SECRET_ARN',
  coolify: 'COOLIFY_SECRET_ARN',
  stripe: 'STRIPE_SECRET_ARN',
};

export function environmentFor(needs: FunctionNeeds, t: EnvironmentTargets): Record<string, string> {
  const env: Record<string, string> = {};
  if (needs.table || needs.countsCalls) env.TABLE_NAME = t.tableName;
  if (needs.pagesLists) env.CURSOR_SECRET_ARN = t.cursorSecretArn;
  if (needs.previewCodes) env.PREVIEW_CODE_SECRET_ARN = t.previewCodeSecretArn;
  if (needs.signsLicenses) env.LICENSE_KEY_SECRET_ARN = t.licenseKeySecretArn;
  if (needs.pluginDownloads || needs.pluginReleases) env.PLUGIN_BUCKET = t.pluginBucket;
  for (const flow of new Set([...(needs.startsFlows ?? []), ...(needs.describesFlows ?? [])]))
    env[stateMachineArnVariable(flow)] = t.stateMachineArn(flow);
  for (const service of needs.callsExternal ?? [])
    env[SECRET_VARIABLE[service]] = t.externalSecretArn(service);
  if (needs.provisioningConfig) {
    env.MARKETPLACE_URL = t.marketplaceUrl;
    env.HEALTH_CHECK_URL_TEMPLATE = t.healthCheckUrlTemplate;
  }
  if (needs.reconcileConfig) env.RECONCILE_GRACE_SECONDS = t.reconcileGraceSeconds;
  if (needs.authCodes) env.AUTH_CODE_KEY_ID = t.authCodeKeyId;
  if (needs.registersDomains) env.INWX_CONTACT_HANDLES = t.inwxContactHandles;
  if (needs.linksWebApp) env.WEB_APP_URL = t.webAppUrl;
  if (needs.billingPolicy) {
    env.BILLING_GRACE_DAYS = String(t.billingPolicy.graceDays);
    env.BILLING_ARCHIVE_AFTER_DAYS = String(t.billingPolicy.archiveAfterDays);
    env.TRIAL_REMINDER_DAYS = t.billingPolicy.trialReminderDays.join(',');
  }
  if (needs.sendsMail) {
    env.MAIL_FROM = t.mailFrom;
    env.STAFF_EMAIL = t.staffEmail;
  }
  return env;
}
