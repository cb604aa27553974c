import type { InProgressStatus } from './project-status.js';

// What customers read about their project's provisioning. Staff see the raw record (reasons,
// upstream errors, server IPs, execution ARNs, Coolify uuids); customers see what happened in
// words of their own, and nothing that names our infrastructure.

const STEP: Record<InProgressStatus, string> = {
  pending_domain: 'setting up the domain',
  provisioning: 'deploying the application',
  bootstrapping: 'starting the application',
};

/** The customer's version of `provisioningError`. */
export function customerProvisioningError(statusBeforeError: InProgressStatus | undefined): string {
  const step = statusBeforeError ? STEP[statusBeforeError] : 'setting up the project';
  return `Setting up your project stopped while ${step}. Our team has been notified and will resume it.`;
}

/** Log messages customers may read, by action; other actions show no message. */
const LOG_MESSAGES: Record<string, string> = {
  order_created: 'Order received',
  status_changed: 'Status changed',
  server_assigned: 'Server reserved',
  dns_created: 'DNS record created',
  deploy_flow_started: 'Deployment started',
  coolify_project_created: 'Application created',
  coolify_app_created: 'Application created',
  environment_configured: 'Application configured',
  deployment_started: 'Deployment queued',
  deployment_completed: 'Deployment finished',
  health_check_passed: 'Your site answers',
  health_check_failed: 'Your site did not answer in time',
  owner_notified: 'Welcome mail sent',
  error: 'Setting up stopped; our team has been notified',
  retry: 'Setting up resumed',
  retry_started: 'Setting up resumed',
  payment_received: 'Payment received',
  invoice_paid: 'Invoice paid',
  payment_failed: 'Payment failed; please update your payment method',
  final_warning: 'Final payment reminder sent',
  trial_reminder: 'Trial reminder sent',
  subscription_ended: 'Subscription ended',
  project_suspended: 'Project suspended',
  project_resumed: 'Project resumed',
  project_archived: 'Project archived',
  license_activated: 'License activated',
  license_suspended: 'License suspended',
  license_extended: 'License extended',
};

/** Our own automatic actors: a customer reads them as "system". */
const SYSTEM_ACTORS = new Set(['system', 'stripe', 'billing']);

export function customerLogMessage(action: string): string | null {
  return LOG_MESSAGES[action] ?? null;
}

/** Who did it, as a customer may see it: themselves, "staff" or "system". */
export function customerTriggeredBy(triggeredBy: string, customerEmail: string): string {
  if (SYSTEM_ACTORS.has(triggeredBy)) return 'system';
  if (triggeredBy === customerEmail) return triggeredBy;
  return 'staff';
}
