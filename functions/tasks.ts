// The state machines' task functions: the ASL placeholder `${<name>FunctionArn}` of each is
// substituted with that function's ARN (by CDK on AWS, by the local runtime locally).

export const taskFunctions = {
  ReserveServer: 'tasks/reserve-server',
  CreateDnsRecords: 'tasks/create-dns-records',
  StartDeployFlow: 'tasks/start-deploy-flow',
  CreateCoolifyApplication: 'tasks/create-coolify-application',
  StartOrCheckDeployment: 'tasks/start-or-check-deployment',
  CheckSatelliteHealth: 'tasks/check-satellite-health',
  ActivateProject: 'tasks/activate-project',
  AcquireDomain: 'tasks/acquire-domain',
  RecordRegistryWait: 'tasks/record-registry-wait',
  ConfigureDomainDns: 'tasks/configure-domain-dns',
  AttachToApplication: 'tasks/attach-to-application',
  ActivateDomain: 'tasks/activate-domain',
  FailDomain: 'tasks/fail-domain',
  StopApplication: 'tasks/stop-application',
  SuspendProject: 'tasks/suspend-project',
  StartApplication: 'tasks/start-application',
  ResumeProject: 'tasks/resume-project',
  DeleteApplication: 'tasks/delete-application',
  RemoveDnsRecords: 'tasks/remove-dns-records',
  ExpireRegisteredDomains: 'tasks/expire-registered-domains',
  ArchiveProject: 'tasks/archive-project',
  NotifyOwner: 'tasks/notify-owner',
  TakeOverProject: 'tasks/take-over-project',
  AttachCustomerDomain: 'tasks/attach-customer-domain',
} as const;
export type TaskFunctionName = keyof typeof taskFunctions;

export const eventFunctions = {
  ExecutionStatusChanged: 'events/execution-status-changed',
} as const;

/** Scheduled jobs: EventBridge Scheduler on AWS; locally an interval and POST /local/jobs/<name>. */
export const jobFunctions = {
  reconcile: { entry: 'jobs/reconcile', everyMinutes: 5 },
  'domain-sync': { entry: 'jobs/domain-sync', everyMinutes: 5 },
  'billing-daily': { entry: 'jobs/billing-daily', everyMinutes: 60 },
} as const;
export type JobName = keyof typeof jobFunctions;

/** State machines: name → ASL file below state-machines/. */
export const stateMachines = {
  'provision-subdomain': 'provision-subdomain.asl.json',
  'deploy-project': 'deploy-project.asl.json',
  'attach-domain': 'attach-domain.asl.json',
  'suspend-project': 'suspend-project.asl.json',
  'resume-project': 'resume-project.asl.json',
  'archive-project': 'archive-project.asl.json',
  'takeover-project': 'takeover-project.asl.json',
} as const;
