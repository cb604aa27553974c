import { uniqueTableName } from '../../support/shared-engines.js';

// Configuration every handler test runs with. Set before the handlers are imported: config is
// parsed once per module graph, like once per cold start in Lambda.

/** This test file's own: the files share one DynamoDB Local (tests/global-setup.ts). */
export const TABLE_NAME = uniqueTableName('vrs-marketplace-test');
export const STAFF_EMAIL = 'provisioning@vrs.gmbh';
export const PROVISION_SUBDOMAIN_ARN =
  'arn:aws:states:eu-central-1:123456789012:stateMachine:vrs-provision-subdomain';

export function useTestEnvironment(): void {
  Object.assign(process.env, {
    AWS_REGION: 'eu-central-1',
    TABLE_NAME,
    PROVISION_SUBDOMAIN_STATE_MACHINE_ARN: PROVISION_SUBDOMAIN_ARN,
    DEPLOY_PROJECT_STATE_MACHINE_ARN:
      'arn:aws:states:eu-central-1:123456789012:stateMachine:vrs-deploy-project',
    MAIL_FROM: 'VRS Marketplace <noreply@vrs.gmbh>',
    STAFF_EMAIL,
    PLUGIN_BUCKET: 'vrs-marketplace-plugins-test',
    INWX_SECRET_ARN: 'vrs/test/inwx',
    AUTH_CODE_KEY_ID: 'arn:aws:kms:eu-central-1:123456789012:key/test',
    STRIPE_SECRET_ARN: 'vrs/test/stripe',
    WEB_APP_URL: 'https://marketplace.vrs.example',
    BILLING_GRACE_DAYS: '7',
    BILLING_ARCHIVE_AFTER_DAYS: '30',
    TRIAL_REMINDER_DAYS: '7,1',
    SUSPEND_PROJECT_STATE_MACHINE_ARN:
      'arn:aws:states:eu-central-1:123456789012:stateMachine:vrs-suspend-project',
    RESUME_PROJECT_STATE_MACHINE_ARN:
      'arn:aws:states:eu-central-1:123456789012:stateMachine:vrs-resume-project',
    ARCHIVE_PROJECT_STATE_MACHINE_ARN:
      'arn:aws:states:eu-central-1:123456789012:stateMachine:vrs-archive-project',
    LOG_LEVEL: 'SILENT',
  });
}
