import { DEFAULT_BILLING_POLICY } from '../../shared/billing/billing-rules.js';
import { environmentFor } from '../function-environment.js';
import type { FlowName } from '../function-needs.js';
import type { LocalFunction } from './engines/lambda/local-functions.js';

// The environment of a local function instance: exactly what its needs give it on AWS
// (infra/function-environment.ts, with local values), plus what makes the SDK talk to the local
// engines and what Lambda itself sets. Nothing else of this process leaks in.

export interface LocalEndpoints {
  region: string;
  dynamodb: string;
  s3: string;
  /** Step Functions, SES v2 and Secrets Manager (engines/aws-endpoint.ts). */
  aws: string;
  url: string;
  tableName: string;
  bucket: string;
  stateMachineArns: Record<FlowName, string>;
  pollWithinTaskMs: number;
  authCodeKeyArn: string;
  inwxContactHandles: string;
}

/** Variables of the parent process that instances see too: log level and local noise switches. */
const PASSED_THROUGH = ['LOG_LEVEL', 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'TZ'];

export function localEnvironment(e: LocalEndpoints) {
  return (fn: LocalFunction, functionName: string): Record<string, string> => {
    const passed: Record<string, string> = {};
    for (const key of PASSED_THROUGH) if (process.env[key] !== undefined) passed[key] = process.env[key]!;
    return {
      ...passed,
      ...environmentFor(fn.needs, {
        tableName: e.tableName,
        cursorSecretArn: 'vrs/local/cursor',
        previewCodeSecretArn: 'vrs/local/preview-code',
        licenseKeySecretArn: 'vrs/local/license-keys',
        pluginBucket: e.bucket,
        stateMachineArn: (flow) => e.stateMachineArns[flow],
        externalSecretArn: (service) => `vrs/local/${service}`,
        marketplaceUrl: e.url,
        healthCheckUrlTemplate: `${e.url}/sim/satellites/{domain}/health`,
        mailFrom: 'VRS Marketplace <no-reply@vrs.gmbh>',
        staffEmail: 'staff@vrs.gmbh',
        reconcileGraceSeconds: '20',
        authCodeKeyId: e.authCodeKeyArn,
        inwxContactHandles: e.inwxContactHandles,
        // No web UI runs locally: Checkout returns to the API's address.
        webAppUrl: e.url,
        billingPolicy: DEFAULT_BILLING_POLICY,
      }),
      // What Lambda sets in every function.
      AWS_REGION: e.region,
      AWS_LAMBDA_FUNCTION_NAME: functionName,
      // The local engines, for the unchanged SDK clients.
      AWS_ACCESS_KEY_ID: 'S3RVER', // s3rver accepts only its own key; the other engines accept any
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_ENDPOINT_URL_DYNAMODB: e.dynamodb,
      AWS_ENDPOINT_URL_S3: e.s3,
      AWS_ENDPOINT_URL_SFN: e.aws,
      AWS_ENDPOINT_URL_SESV2: e.aws,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: e.aws,
      AWS_ENDPOINT_URL_KMS: e.aws,
      S3_FORCE_PATH_STYLE: 'true',
      // EMF metrics are for CloudWatch; locally they would only fill the console.
      POWERTOOLS_METRICS_DISABLED: 'true',
      // Local timing: shorter than the defaults the config schemas apply on AWS, so flows finish fast.
      EXTERNAL_TIMEOUT_MS: '3000',
      POLL_WITHIN_TASK_MS: String(e.pollWithinTaskMs),
      POLL_INTERVAL_MS: '25',
      HEALTH_CHECK_TIMEOUT_MS: '2000',
    };
  };
}
