import type { routes } from '../functions/routes.js';
import type { eventFunctions, JobName, stateMachines, TaskFunctionName } from '../functions/tasks.js';

// What each Lambda function needs: this table decides its environment variables and its IAM
// permissions together, so a function gets exactly the variables its config schemas read
// (shared/**: defineConfig) and the access that goes with them — nothing more.

export type FlowName = keyof typeof stateMachines;

/**
 * Lambda timeout per kind of function. A task's state in the ASL files waits longer than this
 * (TimeoutSeconds), so a task that runs out of time ends as Sandbox.Timedout, which its Retry
 * treats as transient; calls inside fit the remaining time (shared/platform/deadline.ts).
 */
export const FUNCTION_TIMEOUT_SECONDS = { api: 10, task: 60, event: 30, job: 120 } as const;
export type FunctionKind = keyof typeof FUNCTION_TIMEOUT_SECONDS;
export type ExternalService = 'inwx' | 'coolify' | 'stripe';

export interface FunctionNeeds {
  /**
   * TABLE_NAME and the item-level actions on the table and its GSIs: read = Get/BatchGet/Query,
   * readWrite adds Put/Update/Delete (grant-needs.ts). Never Scan.
   */
  table?: 'read' | 'readWrite';
  /** CURSOR_SECRET_ARN and secretsmanager:GetSecretValue on the key that signs list cursors. */
  pagesLists?: true;
  /** PREVIEW_CODE_SECRET_ARN and secretsmanager:GetSecretValue on the key preview codes are hashed with. */
  previewCodes?: true;
  /**
   * LICENSE_KEY_SECRET_ARN and secretsmanager:GetSecretValue on the license signing key ring
   * (offline license tokens and their public keys; shared/licensing/signing-key-secret.ts).
   */
  signsLicenses?: true;
  /** PLUGIN_BUCKET and s3:GetObject on the plugin bucket (presigned downloads). */
  pluginDownloads?: true;
  /**
   * PLUGIN_BUCKET and staff's plugin releases (shared/integrations/s3/plugin-release-store.ts):
   * 'upload' presigns PUTs to `uploads/*`; 'publish' reads and deletes `uploads/*` (ListBucket, so a
   * missing upload is a 404, not a 403) and writes `plugins/*`.
   */
  pluginReleases?: 'upload' | 'publish';
  /**
   * <FLOW>_STATE_MACHINE_ARN, states:StartExecution, and DescribeExecution and RedriveExecution on
   * its executions: starting a flow looks at an execution that holds the name already
   * (shared/provisioning/flow-runs.ts ensureFlowRunning).
   */
  startsFlows?: readonly FlowName[];
  /** <FLOW>_STATE_MACHINE_ARN and states:DescribeExecution on the executions of each flow. */
  describesFlows?: readonly FlowName[];
  /** <SERVICE>_SECRET_ARN and secretsmanager:GetSecretValue on that secret, per service called. */
  callsExternal?: readonly ExternalService[];
  /** MARKETPLACE_URL and HEALTH_CHECK_URL_TEMPLATE (shared/provisioning/tasks/provisioning-config.ts). */
  provisioningConfig?: true;
  /** MAIL_FROM, STAFF_EMAIL and ses:SendEmail from MAIL_FROM. */
  sendsMail?: true;
  /** RECONCILE_GRACE_SECONDS (shared/provisioning/reconcile.ts). */
  reconcileConfig?: true;
  /**
   * AUTH_CODE_KEY_ID and kms:Encrypt (storing a transfer auth code) or kms:Decrypt (handing it to
   * INWX) on the auth-code key (shared/integrations/kms/auth-code-cipher.ts).
   */
  authCodes?: 'encrypt' | 'decrypt';
  /**
   * WEB_APP_URL, the web UI: where Stripe Checkout sends the buyer back to, and the project page
   * billing mails link to (shared/billing/checkout-config.ts).
   */
  linksWebApp?: true;
  /** BILLING_GRACE_DAYS, BILLING_ARCHIVE_AFTER_DAYS, TRIAL_REMINDER_DAYS (shared/billing/billing-config.ts). */
  billingPolicy?: true;
  /**
   * The route counts calls per caller (RouteDef.callerLimit): TABLE_NAME and dynamodb:UpdateItem on
   * `RATELIMIT#*` items only (shared/platform/rate-limit/rate-limits-table.ts).
   */
  countsCalls?: true;
  /** Files (paths from the repository root) copied next to the function's bundle, read at run time. */
  bundledFiles?: readonly string[];
  /** INWX_CONTACT_HANDLES: our admin/tech/billing contacts for domains we register. */
  registersDomains?: true;
  /** states:SendTaskSuccess/SendTaskFailure on these flows (completes callback tasks). */
  answersTaskTokens?: readonly FlowName[];
}

/** Billing asks for every lifecycle action and looks at any open one's execution. */
const LIFECYCLE_FLOWS = ['suspend-project', 'resume-project', 'archive-project', 'takeover-project'] as const;

type HandlerName = (typeof routes)[keyof typeof routes]['handler'];
type EventFunctionName = keyof typeof eventFunctions;

/** API functions by handler (functions/api/<handler>.ts). */
export const apiFunctionNeeds: Record<HandlerName, FunctionNeeds> = {
  // auth 'none' routes never touch the table (the handler reads it only for apiKey routes).
  health: {},
  openapi: {},
  'api-docs': {},
  // Swagger UI's files are copied next to the bundle (1.7 MB of script stays out of the bundle).
  'api-docs-asset': {
    bundledFiles: [
      'node_modules/swagger-ui-dist/swagger-ui-bundle.js',
      'node_modules/swagger-ui-dist/swagger-ui.css',
    ],
  },
  'list-project-types': { table: 'read' },
  'list-bundles': { table: 'read' },
  'list-plugins': { table: 'read' },
  'list-base-domains': { table: 'read' },
  'check-domain-availability': { table: 'read', callsExternal: ['inwx'], countsCalls: true },
  // A transfer's auth code is encrypted; whether an owned domain is ours, the table says (domain-sync).
  // Stripe orders get a Checkout Session (Stripe SDK: this bundle's budget is 1 MB, not 250 KB).
  // Invoice and free orders start provisioning at once: the owner's order confirmation and
  // "provisioning started" mails go from here (shared/provisioning/order-mails.ts).
  'create-project': {
    table: 'readWrite',
    startsFlows: ['provision-subdomain'],
    authCodes: 'encrypt',
    callsExternal: ['stripe'],
    linksWebApp: true,
    sendsMail: true,
    countsCalls: true,
  },
  // Verifies Stripe's signature, re-reads the session, records the payment, starts provisioning.
  // Renewals, dunning and cancellations ask for suspend/resume/archive runs as the billing job does.
  'stripe-webhook': {
    table: 'readWrite',
    callsExternal: ['stripe'],
    startsFlows: ['provision-subdomain', ...LIFECYCLE_FLOWS],
    describesFlows: ['deploy-project'],
    sendsMail: true,
    billingPolicy: true,
    linksWebApp: true,
  },
  'get-my-profile': { table: 'read' },
  'put-my-profile': { table: 'readWrite' },
  'put-customer': { table: 'readWrite' },
  'list-projects': { table: 'read', pagesLists: true },
  'get-project': { table: 'read' },
  'list-project-logs': { table: 'read', pagesLists: true },
  'get-satellite-config': { table: 'read' },
  'list-satellite-plugins': { table: 'read' },
  'download-plugin': { table: 'read', pluginDownloads: true },
  // Signs what list-satellite-plugins answers; the public keys need only the key ring.
  'get-license-token': { table: 'read', signsLicenses: true },
  'get-license-keys': { signsLicenses: true },
  // A retry that starts an order's first execution (its start had failed) sends "provisioning started".
  'retry-provisioning': {
    table: 'readWrite',
    startsFlows: ['provision-subdomain', 'deploy-project'],
    sendsMail: true,
  },
  // Staff's look into a project: its executions as Step Functions sees them (any flow's).
  'get-admin-project': {
    table: 'read',
    describesFlows: ['provision-subdomain', 'deploy-project', ...LIFECYCLE_FLOWS],
  },
  // A draft's (or a lost start's) provisioning, with the order mails as at an order.
  'start-provisioning': { table: 'readWrite', startsFlows: ['provision-subdomain'], sendsMail: true },
  // Staff change one license (one conditional transaction with its history and log entry).
  'put-license': { table: 'readWrite' },
  'list-license-history': { table: 'read', pagesLists: true },
  // Extends the licenses of a paid invoice; resumes a suspended project like the resume route.
  'mark-invoice-paid': {
    table: 'readWrite',
    startsFlows: ['resume-project'],
    describesFlows: ['suspend-project', 'archive-project', 'takeover-project'],
  },
  // Reads the live application at Coolify and writes only the satellite's env (MARKETPLACE_URL).
  'import-project': { table: 'readWrite', callsExternal: ['coolify'], provisioningConfig: true },
  // Drift reads INWX records and the Coolify application; the repair writes what differs.
  'get-project-drift': { table: 'read', callsExternal: ['inwx', 'coolify'], provisioningConfig: true },
  'repair-project-drift': {
    table: 'readWrite',
    callsExternal: ['inwx', 'coolify'],
    provisioningConfig: true,
  },
  'add-project-domain': { table: 'readWrite', authCodes: 'encrypt', startsFlows: ['attach-domain'] },
  'renew-auth-code': { table: 'readWrite', authCodes: 'encrypt', startsFlows: ['attach-domain'] },
  'set-primary-domain': { table: 'readWrite' },
  'list-tld-prices': { table: 'read' },
  'put-tld-price': { table: 'readWrite' },
  'list-servers': { table: 'read' },
  'add-server': { table: 'readWrite' },
  'change-server': { table: 'readWrite' },
  'get-server-selection': { table: 'read' },
  'put-server-selection': { table: 'readWrite' },
  'list-admin-projects': { table: 'read', pagesLists: true },
  // Reads only; the plan names VRS_MARKETPLACE_URL and the health check URL as provisioning would.
  'get-provisioning-plan': { table: 'read', provisioningConfig: true },
  'add-base-domain': { table: 'readWrite' },
  'change-base-domain': { table: 'readWrite' },
  'set-project-superadmin': { table: 'readWrite' },
  // Preview protection (shared/preview/): creating an access hashes its code and may mail it;
  // verifying counts the try against the project's lock before checking it.
  'create-preview-access': { table: 'readWrite', previewCodes: true, sendsMail: true },
  'list-preview-accesses': { table: 'read', pagesLists: true },
  'revoke-preview-access': { table: 'readWrite' },
  'set-preview-protection': { table: 'readWrite' },
  'verify-preview': { table: 'readWrite', previewCodes: true, countsCalls: true },
  // Plugin releases: a presigned upload, then the publish checks the ZIP and releases it.
  'create-plugin-version': { table: 'readWrite', pluginReleases: 'upload' },
  'publish-plugin-version': { table: 'readWrite', pluginReleases: 'publish' },
  // Each starts its own lifecycle flow and looks at an open request's execution of the others
  // (running: 409); archiving a project in progress looks at its provisioning execution too.
  'suspend-project': {
    table: 'readWrite',
    startsFlows: ['suspend-project'],
    describesFlows: ['resume-project', 'archive-project', 'takeover-project'],
  },
  'resume-project': {
    table: 'readWrite',
    startsFlows: ['resume-project'],
    describesFlows: ['suspend-project', 'archive-project', 'takeover-project'],
  },
  'archive-project': {
    table: 'readWrite',
    startsFlows: ['archive-project'],
    describesFlows: [
      'suspend-project',
      'resume-project',
      'takeover-project',
      'provision-subdomain',
      'deploy-project',
    ],
  },
  // A demo's takeover (shared/takeover/): by card a Checkout first (the webhook starts the flow once
  // paid); a customer's domain is checked and prepared now (its auth code encrypted).
  'take-over-project': {
    table: 'readWrite',
    startsFlows: ['takeover-project'],
    describesFlows: ['suspend-project', 'resume-project', 'archive-project'],
    callsExternal: ['stripe'],
    authCodes: 'encrypt',
    linksWebApp: true,
  },
};

/** State machine task functions by ASL placeholder name. */
export const taskFunctionNeeds: Record<TaskFunctionName, FunctionNeeds> = {
  ReserveServer: { table: 'readWrite' },
  CreateDnsRecords: { table: 'readWrite', callsExternal: ['inwx'] },
  // Only the deploy flow: the provision flow contains this task, so starting it would be a cycle.
  StartDeployFlow: { table: 'readWrite', startsFlows: ['deploy-project'] },
  CreateCoolifyApplication: { table: 'readWrite', callsExternal: ['coolify'], provisioningConfig: true },
  StartOrCheckDeployment: { table: 'readWrite', callsExternal: ['coolify'] },
  CheckSatelliteHealth: { table: 'readWrite', provisioningConfig: true },
  // Starts attach-domain for the order's own domain once the project is live on its subdomain.
  ActivateProject: {
    table: 'readWrite',
    callsExternal: ['coolify'],
    sendsMail: true,
    startsFlows: ['attach-domain'],
  },
  AcquireDomain: {
    table: 'readWrite',
    callsExternal: ['inwx'],
    authCodes: 'decrypt',
    registersDomains: true,
  },
  RecordRegistryWait: { table: 'readWrite' },
  ConfigureDomainDns: { table: 'readWrite', callsExternal: ['inwx'] },
  AttachToApplication: { table: 'readWrite', callsExternal: ['coolify'] },
  ActivateDomain: { table: 'readWrite', sendsMail: true },
  FailDomain: { table: 'readWrite', sendsMail: true },
  // The lifecycle flows (suspend-project, resume-project, archive-project, takeover-project).
  StopApplication: { table: 'readWrite', callsExternal: ['coolify'] },
  SuspendProject: { table: 'readWrite' },
  StartApplication: { table: 'readWrite', callsExternal: ['coolify'] },
  ResumeProject: { table: 'readWrite' },
  DeleteApplication: { table: 'readWrite', callsExternal: ['coolify'] },
  RemoveDnsRecords: { table: 'readWrite', callsExternal: ['inwx'] },
  ExpireRegisteredDomains: { table: 'readWrite', callsExternal: ['inwx'] },
  ArchiveProject: { table: 'readWrite' },
  NotifyOwner: { table: 'readWrite', sendsMail: true },
  // The takeover flow: the new owner in one transaction, then the customer's own domain attached.
  TakeOverProject: { table: 'readWrite' },
  AttachCustomerDomain: { table: 'readWrite', startsFlows: ['attach-domain'] },
};

/** EventBridge-driven functions. */
export const eventFunctionNeeds: Record<EventFunctionName, FunctionNeeds> = {
  // DescribeExecution confirms an execution newer than the one the project knows.
  ExecutionStatusChanged: {
    table: 'readWrite',
    sendsMail: true,
    describesFlows: ['provision-subdomain', 'deploy-project'],
  },
};

/** Scheduled jobs (EventBridge Scheduler). */
export const jobFunctionNeeds: Record<JobName, FunctionNeeds> = {
  // Starts the attach-domain execution of a pending custom domain whose start was lost.
  reconcile: {
    table: 'readWrite',
    sendsMail: true,
    describesFlows: ['provision-subdomain', 'deploy-project'],
    startsFlows: ['attach-domain'],
    reconcileConfig: true,
  },
  // One INWX session per run for every domain waiting on the registry; answers their task tokens.
  // Once a day it mails staff the active domains our INWX account no longer lists.
  'domain-sync': {
    table: 'readWrite',
    callsExternal: ['inwx'],
    answersTaskTokens: ['attach-domain'],
    sendsMail: true,
  },
  // Trial reminders and ends, final warnings, suspensions for non-payment, resumes, archivals.
  'billing-daily': {
    table: 'readWrite',
    callsExternal: ['stripe'],
    startsFlows: LIFECYCLE_FLOWS,
    describesFlows: ['provision-subdomain', 'deploy-project'],
    sendsMail: true,
    billingPolicy: true,
    linksWebApp: true,
  },
};

/** PROVISION_SUBDOMAIN_STATE_MACHINE_ARN for 'provision-subdomain', and so on. */
export const stateMachineArnVariable = (flow: FlowName): string =>
  `${flow.toUpperCase().replaceAll('-', '_')}_STATE_MACHINE_ARN`;
