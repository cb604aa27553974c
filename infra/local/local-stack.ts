import './engines/polyfills.js';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  eventFunctions,
  type JobName,
  jobFunctions,
  stateMachines,
  taskFunctions,
} from '../../functions/tasks.js';
import type { FunctionKind } from '../function-needs.js';
import { seedCatalog } from '../seed/seed-catalog.js';
import { startLocalAwsEndpoint } from './engines/aws-endpoint.js';
import { startDynamo, useDynamo } from './engines/dynamodb.js';
import { LocalKms } from './engines/kms.js';
import type { LocalFunction } from './engines/lambda/local-functions.js';
import { LocalInvoker } from './engines/lambda/local-invoker.js';
import { localLicenseKeyRing } from './engines/license-key-ring.js';
import { startS3 } from './engines/s3.js';
import { LocalStepFunctions } from './engines/step-functions/local-step-functions.js';
import { createHttpServer } from './gateway/http-server.js';
import { LocalAuth } from './gateway/local-auth.js';
import { type LocalEndpoints, localEnvironment } from './local-environment.js';
import { REPO_ROOT } from './repo-root.js';
import { seedOurInwxContact } from './seed/inwx-contacts.js';
import { servers as seedServers } from './seed/local-servers.js';
import { createCoolifySimulator } from './simulators/coolify.js';
import { FaultRegistry } from './simulators/faults.js';
import { createInwxSimulator } from './simulators/inwx.js';
import { LocalMailbox } from './simulators/mail.js';
import { SatelliteFleet } from './simulators/satellite.js';
import {
  createStripeSimulator,
  DEFAULT_WEBHOOK_SECRET,
  type StripeSimulator,
  serveStripeApi,
} from './simulators/stripe.js';

// The whole system on one machine: DynamoDB Local, s3rver, the local Step Functions runner with
// the real ASL files, the local API Gateway with the real handlers, and the simulators.

const REGION = 'eu-central-1';
/** The local KMS key transfer auth codes are encrypted under (infra/local/engines/kms.ts). */
export const AUTH_CODE_KEY_ARN = 'arn:aws:kms:eu-central-1:000000000000:key/vrs-local-auth-codes';
const ACCOUNT = '000000000000';
const DEFAULT_TABLE = 'vrs-marketplace';
const BUCKET = 'vrs-plugins';

export interface LocalStackOptions {
  /** Port of the main server; 0 picks a free one. */
  port?: number;
  /** Where data persists between runs; omitted: in memory / a temp dir removed on stop. */
  dataDir?: string;
  /** Every Wait state pauses this long (ms). */
  waitMs?: number;
  /** Every Retry interval (ms). */
  retryIntervalMs?: number;
  /** How long a simulated Coolify deployment takes (ms). */
  deployDurationMs?: number;
  /** How long a polling task keeps checking before the state machine waits (ms). */
  pollWithinTaskMs?: number;
  /** Scheduled jobs run by themselves this often (ms); 0 turns that off (POST /local/jobs still works). */
  jobIntervalMs?: number;
  /** Function timeouts per kind (s), instead of FUNCTION_TIMEOUT_SECONDS (tests of timeouts). */
  functionTimeoutSeconds?: Partial<Record<FunctionKind, number>>;
  /** Instances per function at most (default 4: infra/local/README.md, "Instances"). */
  maxInstancesPerFunction?: number;
  /** An instance idle this long is retired (ms, default 5 min). */
  instanceIdleMs?: number;
  /** Signs the Stripe simulator's webhooks. Default `STRIPE_WEBHOOK_SECRET`, else `whsec_local_test`. */
  stripeWebhookSecret?: string;
  /**
   * A DynamoDB Local that runs already, and the name of the table to create on it for this stack
   * (deleted on stop), instead of starting one with table vrs-marketplace. Tests: one DynamoDB
   * Local for the whole run. Not with `dataDir` (the data would live in that DynamoDB Local).
   */
  dynamo?: { endpoint: string; tableName: string };
  /**
   * Where function bundles are kept and reused while their inputs are unchanged, by several stacks
   * (tests: one directory for the whole run); default a directory of this stack's own, removed on
   * stop (engines/lambda/function-bundle.ts).
   */
  bundleDir?: string;
  log?: (message: string) => void;
}

export interface LocalStack {
  url: string;
  awsEndpoint: string;
  dynamoEndpoint: string;
  /** The table the functions use (TABLE_NAME): vrs-marketplace unless `dynamo` names another. */
  tableName: string;
  s3Endpoint: string;
  dataDir: string | null;
  auth: LocalAuth;
  faults: FaultRegistry;
  mailbox: LocalMailbox;
  satellites: SatelliteFleet;
  stepFunctions: LocalStepFunctions;
  inwx: ReturnType<typeof createInwxSimulator>;
  coolify: ReturnType<typeof createCoolifySimulator>;
  stripe: StripeSimulator;
  /** The Stripe simulator's own loopback origin, for the Stripe SDK (no path prefix possible). */
  stripeApiUrl: string;
  stateMachineArns: Record<keyof typeof stateMachines, string>;
  token(email: string, role: 'admin' | 'staff' | 'customer' | 'reseller'): Promise<string>;
  /** Runs a scheduled job now, as POST /local/jobs/<name> does. */
  runJob(name: JobName, input?: { now?: string }): Promise<unknown>;
  /**
   * Invokes a function as Lambda would (own instance, own environment, timeout): by entry
   * (`events/execution-status-changed`) or given whole, e.g. with other needs than the manifest's.
   */
  invoke(fn: string | LocalFunction, event: unknown): Promise<unknown>;
  /** Instances per function now. */
  functionInstances(): Record<string, number>;
  /** The environment a function's instances get (for tests that call its code in-process). */
  environmentOf(entry: string): Record<string, string>;
  stop(): Promise<void>;
}

const functionArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:vrs-local-${name}`;
const stateMachineArn = (name: string) => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:vrs-${name}`;

export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const log = opts.log ?? (() => {});
  const persistent = opts.dataDir !== undefined;
  if (persistent && opts.dynamo)
    throw new Error('startLocalStack: dataDir persists the table in its own DynamoDB Local; omit dynamo');
  const tableName = opts.dynamo?.tableName ?? DEFAULT_TABLE;
  const dataDir = persistent ? resolve(opts.dataDir!) : mkdtempSync(join(tmpdir(), 'vrs-local-'));
  mkdirSync(dataDir, { recursive: true });
  const file = (name: string) => (persistent ? join(dataDir, name) : undefined);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse())
      await s().catch((err: unknown) => log(`stop failed: ${(err as Error).message}`));
    if (!persistent) rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const dynamo = opts.dynamo
      ? await useDynamo(opts.dynamo)
      : await startDynamo({
          tableName,
          ...(persistent ? { dataDir: join(dataDir, 'dynamodb') } : {}),
        });
    stops.push(dynamo.stop);
    const s3 = await startS3({ directory: join(dataDir, 's3'), bucket: BUCKET });
    stops.push(s3.stop);

    const faults = new FaultRegistry();
    const mailbox = new LocalMailbox({
      faults,
      ...(file('mail.json') ? { persistPath: file('mail.json')! } : {}),
    });
    const satellites = new SatelliteFleet({ log });
    const inwx = createInwxSimulator({
      faults,
      ...(file('inwx.json') ? { persistPath: file('inwx.json')! } : {}),
    });
    const coolify = createCoolifySimulator({
      faults,
      deployDurationMs: opts.deployDurationMs ?? 300,
      onDeploymentFinished: (app) => satellites.start(app),
      onApplicationStopped: (app) => satellites.stop(app.envs.VRS_PROJECT_ID),
      servers: seedServers(new Date().toISOString()).map((s) => ({
        uuid: s.coolifyUuid,
        name: s.name,
        ip: s.ipAddress,
      })),
      ...(file('coolify.json') ? { persistPath: file('coolify.json')! } : {}),
    });
    // Known once the main server listens (below); read when a session or a delivery needs it.
    let url = '';
    const stripeWebhookSecret =
      opts.stripeWebhookSecret ?? process.env.STRIPE_WEBHOOK_SECRET ?? DEFAULT_WEBHOOK_SECRET;
    const stripe = createStripeSimulator({
      faults,
      publicUrl: () => `${url}/sim/stripe`,
      // Our webhook route (api-contract "Webhooks"); until it exists the gateway answers 404 and
      // the simulator gives up after its retries, keeping the events in GET /v1/events.
      webhookUrl: () => `${url}/v1/webhooks/stripe`,
      webhookSecret: stripeWebhookSecret,
      log,
      ...(file('stripe.json') ? { persistPath: file('stripe.json')! } : {}),
    });
    stops.push(async () => stripe.close());
    const stripeApi = await serveStripeApi(stripe);
    stops.push(stripeApi.close);
    const auth = new LocalAuth(`vrs-local-${persistent ? dataDir : Math.random()}`);
    // The API answers (health included) only once an order can succeed: see markReady below.
    let ready = false;
    // Functions run once their environment is known (the endpoints below): until then they wait.
    let setInvoker!: (invoker: LocalInvoker) => void;
    const invokerSet = new Promise<LocalInvoker>((r) => {
      setInvoker = r;
    });
    const invoke = async (fn: string | LocalFunction, event: unknown) => (await invokerSet).invoke(fn, event);
    const runJob = (name: string, input: { now?: string } = {}) => {
      const job = jobFunctions[name as JobName];
      return job ? invoke(job.entry, input) : undefined;
    };
    const http = createHttpServer({
      auth,
      faults,
      inwx,
      coolify,
      stripe,
      mailbox,
      satellites,
      isReady: () => ready,
      runJob,
      invoke,
    });
    const port = await listen(http, opts.port ?? 0);
    stops.push(() => closeServer(http));
    url = `http://127.0.0.1:${port}`;

    // Every state machine of functions/tasks.ts, named as CDK names them (vrs-<flow>).
    const arns = Object.fromEntries(
      Object.keys(stateMachines).map((name) => [name, stateMachineArn(name)]),
    ) as Record<keyof typeof stateMachines, string>;
    const substitutions: Record<string, string> = {};
    const taskHandlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const [name, entry] of Object.entries(taskFunctions)) {
      substitutions[`${name}FunctionArn`] = functionArn(name);
      taskHandlers[functionArn(name)] = (input) => invoke(entry, input);
    }
    const stepFunctions = new LocalStepFunctions({
      stateMachines: (Object.keys(stateMachines) as (keyof typeof stateMachines)[]).map((name) => ({
        name: `vrs-${name}`,
        arn: arns[name],
        definition: loadDefinition(stateMachines[name], substitutions),
      })),
      taskHandlers,
      waitMs: opts.waitMs ?? 200,
      retryIntervalMs: opts.retryIntervalMs ?? 100,
      // Status events (e.g. of executions a restart interrupted) wait for the invoker like tasks.
      onStatusChange: async (event) => {
        await invoke(eventFunctions.ExecutionStatusChanged, event);
      },
      log: (m, e) => log(e ? `${m}: ${(e as Error).message}` : m),
      ...(file('executions.json') ? { persistPath: file('executions.json')! } : {}),
    });
    stops.push(() => stepFunctions.close());

    const secrets = {
      // New each start: cursors of an earlier run are refused (400), like after a key change on AWS.
      'vrs/local/cursor': JSON.stringify({ key: randomBytes(32).toString('hex') }),
      // New each start too: preview codes of an earlier run are refused (their links still work).
      'vrs/local/preview-code': JSON.stringify({ key: randomBytes(32).toString('hex') }),
      // Per data dir (like the KMS key): tokens issued before a restart still verify.
      'vrs/local/license-keys': JSON.stringify(localLicenseKeyRing(file('license-keys.json'))),
      'vrs/local/inwx': JSON.stringify({
        url: `${url}/sim/inwx/xmlrpc/`,
        user: 'vrs-local',
        pass: 'local-password',
      }),
      'vrs/local/coolify': JSON.stringify({
        baseUrl: `${url}/sim/coolify/api/v1`,
        token: 'local-coolify-token',
      }),
      // The SDK reaches the simulator on its own port: it cannot add the /sim/stripe prefix.
      'vrs/local/stripe': JSON.stringify({
        secretKey: 'sk_test_local',
        webhookSecret: stripeWebhookSecret,
        apiBaseUrl: stripeApi.url,
      }),
    };
    const kms = new LocalKms(AUTH_CODE_KEY_ARN, file('kms-key.json'));
    const aws = await startLocalAwsEndpoint({ stepFunctions, secrets, mail: mailbox, faults, kms });
    stops.push(aws.close);

    const endpoints: LocalEndpoints = {
      region: REGION,
      dynamodb: dynamo.endpoint,
      s3: s3.endpoint,
      aws: aws.url,
      url,
      tableName,
      bucket: BUCKET,
      stateMachineArns: arns,
      pollWithinTaskMs: opts.pollWithinTaskMs ?? 3000,
      authCodeKeyArn: AUTH_CODE_KEY_ARN,
      // Set by the seed below, before the stack reports ready (read at each cold start).
      inwxContactHandles: '',
    };
    const invoker = new LocalInvoker({
      environment: localEnvironment(endpoints),
      log,
      ...(opts.functionTimeoutSeconds ? { timeoutSeconds: opts.functionTimeoutSeconds } : {}),
      ...(opts.maxInstancesPerFunction ? { maxInstances: opts.maxInstancesPerFunction } : {}),
      ...(opts.instanceIdleMs ? { idleMs: opts.instanceIdleMs } : {}),
      ...(opts.bundleDir ? { bundleDir: opts.bundleDir } : {}),
    });
    stops.push(async () => invoker.close());
    setInvoker(invoker);

    const clientConfig = {
      region: REGION,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    };
    const doc = DynamoDBDocumentClient.from(
      new DynamoDBClient({ ...clientConfig, endpoint: dynamo.endpoint }),
      {
        marshallOptions: { removeUndefinedValues: true },
      },
    );
    const s3Client = new S3Client({
      ...clientConfig,
      endpoint: s3.endpoint,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    await seedCatalog({
      doc,
      table: tableName,
      s3: s3Client,
      bucket: BUCKET,
      servers: seedServers(new Date().toISOString()),
    });
    doc.destroy();
    s3Client.destroy();
    endpoints.inwxContactHandles = await seedOurInwxContact(`${url}/sim/inwx/xmlrpc/`);

    // Satellites of apps deployed in an earlier run come back up with them (pointed at this run's
    // URL, as if the marketplace's DNS name followed it).
    for (const app of coolify.applications()) {
      if (app.status.startsWith('running')) {
        const envs = Object.fromEntries(app.envs.map((e) => [e.key, e.value ?? '']));
        satellites.start({ fqdn: app.fqdn, envs: { ...envs, VRS_MARKETPLACE_URL: url } });
      }
    }

    const jobInterval = opts.jobIntervalMs ?? 15_000;
    if (jobInterval > 0) {
      const timer = setInterval(() => {
        for (const name of Object.keys(jobFunctions))
          runJob(name)?.catch((err: unknown) => log(`job ${name} failed: ${(err as Error).message}`));
      }, jobInterval);
      timer.unref();
      stops.push(async () => clearInterval(timer));
    }
    ready = true;
    // Webhooks a stop interrupted go out again, now that the API answers.
    stripe.resumeDeliveries();

    return {
      url,
      awsEndpoint: aws.url,
      dynamoEndpoint: dynamo.endpoint,
      tableName,
      s3Endpoint: s3.endpoint,
      dataDir: persistent ? dataDir : null,
      auth,
      faults,
      mailbox,
      satellites,
      stepFunctions,
      inwx,
      coolify,
      stripe,
      stripeApiUrl: stripeApi.url,
      stateMachineArns: arns,
      token: (email, role) => auth.issue(email, role),
      runJob: (name, input) => runJob(name, input)!,
      invoke,
      functionInstances: () => invoker.instances(),
      environmentOf: (entry) => invoker.environmentOf(entry),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The ASL file with every `${Name}` placeholder substituted, as CDK's DefinitionSubstitutions does. */
export function loadDefinition(file: string, substitutions: Record<string, string>): object {
  const text = readFileSync(join(REPO_ROOT, 'state-machines', file), 'utf8').replace(
    /\$\{(\w+)\}/g,
    (whole, key: string) => {
      const value = substitutions[key];
      if (value === undefined) throw new Error(`${file}: no substitution for ${whole}`);
      return value;
    },
  );
  return JSON.parse(text) as object;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE' ? new Error(`Port ${port} is in use; set PORT to another port.`) : err,
      ),
    );
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
