import { JavaMissingError } from './engines/dynamodb.js';
import { startLocalStack } from './local-stack.js';

// `npm start`: the whole system locally, data kept in VRS_LOCAL_DATA_DIR (default .local).

const port = Number(process.env.PORT ?? 3000);
const dataDir = process.env.VRS_LOCAL_DATA_DIR ?? '.local';
process.env.LOG_LEVEL ??= 'WARN';
// The SDK warns that its 2027 releases need Node 22; Lambda runs Node 22, so locally this is noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main(): Promise<void> {
  console.log('Starting the VRS Marketplace locally ...');
  const stack = await startLocalStack({
    port,
    dataDir,
    waitMs: Number(process.env.VRS_LOCAL_WAIT_MS ?? 500),
    deployDurationMs: Number(process.env.VRS_SIM_DEPLOY_MS ?? 1500),
    log: (m) => console.log(`[local] ${m}`),
  });
  const u = stack.url;
  console.log(`
VRS Marketplace is running.

  API                 ${u}/v1   (OpenAPI: ${u}/v1/openapi.json)
  Get a token         curl -s -X POST ${u}/local/token -H 'content-type: application/json' -d '{"email":"staff@vrs.gmbh","role":"staff"}'
  Coolify simulator   ${u}/sim/coolify/api/v1   (token local-coolify-token)
  INWX simulator      ${u}/sim/inwx/xmlrpc/
  Stripe simulator    ${u}/sim/stripe/v1   (SDK: ${stack.stripeApiUrl}; any sk_test_ key)
  Mail sent           ${u}/sim/mail/messages
  Fault injection     ${u}/sim/faults
  Satellites          ${u}/sim/satellites
  DynamoDB Local      ${stack.dynamoEndpoint}   (table vrs-marketplace)
  S3 (s3rver)         ${stack.s3Endpoint}   (bucket vrs-plugins)
  AWS endpoint        ${stack.awsEndpoint}   (Step Functions, SES v2, Secrets Manager)
  Data directory      ${stack.dataDir}

Press Ctrl-C to stop.`);

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping ...');
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  if (err instanceof JavaMissingError) console.error(`\n${err.message}\n`);
  else console.error('Could not start the local stack:', err);
  process.exit(1);
});
