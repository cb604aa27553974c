import { Logger } from '@aws-lambda-powertools/logger';

// Structured JSON logs for CloudWatch through Powertools Logger. The Lambda pipelines
// (shared/platform/lambda/) add the request id, the project id and the execution ARN to every
// entry of an invocation. Never pass secrets, API keys or tokens as fields.

export const logger = new Logger({ serviceName: 'vrs-marketplace' });
