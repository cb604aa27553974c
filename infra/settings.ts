import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { DEFAULT_BILLING_POLICY } from '../shared/billing/billing-rules.js';
import { INWX_OTE_URL } from './constructs/external-secrets.js';

/** Deployment settings, from CDK context (cdk.json or `-c key=value`). */
export interface MarketplaceSettings {
  /** Sender of all mail (MAIL_FROM); its domain must be a verified SES identity. */
  readonly mailFrom: string;
  /** Where failure notices go (STAFF_EMAIL). */
  readonly staffEmail: string;
  /** Public URL of the API handed to satellites; default: the HTTP API's execute-api endpoint. */
  readonly marketplaceUrl: string | undefined;
  /** `{domain}` is replaced by a satellite's primary domain. */
  readonly healthCheckUrlTemplate: string;
  /** Initial values of the secrets (only used when they are created). */
  readonly inwxUrl: string;
  /**
   * Our admin/tech/billing contact handles at INWX for domains we register (one id, or three
   * comma-separated); empty until operators create them (docs/operations.md), and registrations
   * fail for staff to redrive until then.
   */
  readonly inwxContactHandles: string;
  readonly coolifyBaseUrl: string;
  readonly logRetention: RetentionDays;
  readonly apiThrottle: { readonly rateLimit: number; readonly burstLimit: number };
  /** Browser origins of the web UI allowed by CORS (context `webOrigins`, comma-separated). */
  readonly webOrigins: readonly string[];
  /**
   * Dunning and trials (contexts `billingGraceDays`, `billingArchiveAfterDays`, `trialReminderDays`
   * comma-separated): days of grace after a failed payment, days suspended before archival, and
   * the "trial ends in N days" reminders.
   */
  readonly billingPolicy: {
    graceDays: number;
    archiveAfterDays: number;
    trialReminderDays: readonly number[];
  };
}

export const DEFAULT_SETTINGS: MarketplaceSettings = {
  mailFrom: 'no-reply@vrs.gmbh',
  staffEmail: 'staff@vrs.gmbh',
  marketplaceUrl: undefined,
  healthCheckUrlTemplate: 'https://{domain}/health',
  inwxUrl: INWX_OTE_URL,
  inwxContactHandles: '',
  coolifyBaseUrl: 'https://coolify.example.com',
  logRetention: RetentionDays.THREE_MONTHS,
  apiThrottle: { rateLimit: 50, burstLimit: 100 },
  webOrigins: ['https://marketplace.vrs.gmbh'],
  billingPolicy: DEFAULT_BILLING_POLICY,
};

export function settingsFromContext(node: Node): MarketplaceSettings {
  const text = (key: string, fallback: string): string => {
    const value: unknown = node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return fallback;
    if (typeof value !== 'string') throw new Error(`Context "${key}" must be a string`);
    return value;
  };
  const number = (key: string, fallback: number): number => {
    const raw: unknown = node.tryGetContext(key);
    if (raw === undefined || raw === null || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`Context "${key}" must be a positive number`);
    return value;
  };

  const healthCheckUrlTemplate = text('healthCheckUrlTemplate', DEFAULT_SETTINGS.healthCheckUrlTemplate);
  if (!healthCheckUrlTemplate.includes('{domain}'))
    throw new Error('Context "healthCheckUrlTemplate" must contain {domain}');
  const retentionDays = number('logRetentionDays', DEFAULT_SETTINGS.logRetention);
  if (!Object.values(RetentionDays).includes(retentionDays))
    throw new Error(`Context "logRetentionDays": ${retentionDays} is not a CloudWatch Logs retention period`);
  const marketplaceUrl = text('marketplaceUrl', '');
  const webOrigins = text('webOrigins', DEFAULT_SETTINGS.webOrigins.join(','))
    .split(',')
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  for (const origin of webOrigins) {
    if (!/^https?:\/\/[^/\s*]+$/.test(origin))
      throw new Error(`Context "webOrigins": "${origin}" is not an origin like https://app.example.com`);
  }

  return {
    mailFrom: text('mailFrom', DEFAULT_SETTINGS.mailFrom),
    staffEmail: text('staffEmail', DEFAULT_SETTINGS.staffEmail),
    marketplaceUrl: marketplaceUrl ? marketplaceUrl.replace(/\/+$/, '') : undefined,
    healthCheckUrlTemplate,
    inwxUrl: text('inwxUrl', DEFAULT_SETTINGS.inwxUrl),
    inwxContactHandles: contactHandles(text('inwxContactHandles', DEFAULT_SETTINGS.inwxContactHandles)),
    coolifyBaseUrl: text('coolifyBaseUrl', DEFAULT_SETTINGS.coolifyBaseUrl),
    logRetention: retentionDays as RetentionDays,
    apiThrottle: {
      rateLimit: number('apiRateLimit', DEFAULT_SETTINGS.apiThrottle.rateLimit),
      burstLimit: number('apiBurstLimit', DEFAULT_SETTINGS.apiThrottle.burstLimit),
    },
    webOrigins,
    billingPolicy: {
      graceDays: number('billingGraceDays', DEFAULT_SETTINGS.billingPolicy.graceDays),
      archiveAfterDays: number('billingArchiveAfterDays', DEFAULT_SETTINGS.billingPolicy.archiveAfterDays),
      trialReminderDays: reminderDays(
        text('trialReminderDays', DEFAULT_SETTINGS.billingPolicy.trialReminderDays.join(',')),
      ),
    },
  };
}

function reminderDays(value: string): number[] {
  if (!/^\d{1,3}(,\d{1,3})*$/.test(value))
    throw new Error('Context "trialReminderDays" must be whole days, comma-separated (e.g. "7,1")');
  return value.split(',').map(Number);
}

/** The bare address of "Name <address>" or "address" (for the ses:FromAddress condition). */
export function mailAddressOf(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1]?.trim() ?? from.trim();
}

function contactHandles(value: string): string {
  if (value !== '' && !/^\d+(,\d+){0,2}$/.test(value))
    throw new Error('Context "inwxContactHandles" must be one INWX contact id, or three comma-separated');
  return value;
}
