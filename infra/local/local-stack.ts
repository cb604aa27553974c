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
import { type JobName, jobFunctions, stateMachines, taskFunctions } from '../../functions/tasks.js';
import { seedCatalog } from '../seed/seed-catalog.js';
import { startLocalAwsEndpoint } from './engines/aws-endpoint.js';
import { startDynamo } from './engines/dynamodb.js';
import { loadHandler, REPO_ROOT } from './engines/lambda/handlers.js';
import { lambdaContext } from './engines/lambda/lambda-context.js';
import { startS3 } from './engines/s3.js';
import { LocalStepFunctions } from './engines/step-functions/local-step-functions.js';
import { createHttpServer } from './gateway/http-server.js';
import { LocalAuth } from './gateway/local-auth.js';
import { servers as seedServers } from './seed/local-servers.js';
import { createCoolifySimulator } from './simulators/coolify.js';
import { FaultRegistry } from './simulators/faults.js';
import { createInwxSimulator } from './simulators/inwx.js';
import { LocalMailbox } from './simulators/mail.js';
import { SatelliteFleet } from './simulators/satellite.js';

// The whole system on one machine: DynamoDB Local, s3rver, the local Step Functions runner with
// the real ASL files, the local API Gateway with the real handlers, and the simulators.

const REGION = 'eu-central-1';
const ACCOUNT = '000000000000';
const TABLE = 'vrs-marketplace';
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
  log?: (message: string) => void;
}

export interface LocalStack {
  url: string;
  awsEndpoint: string;
  dynamoEndpoint: string;
  s3Endpoint: string;
  dataDir: string | null;
  auth: LocalAuth;
  faults: FaultRegistry;
  mailbox: LocalMailbox;
  satellites: SatelliteFleet;
  stepFunctions: LocalStepFunctions;
  inwx: ReturnType<typeof createInwxSimulator>;
  coolify: ReturnType<typeof createCoolifySimulator>;
  stateMachineArns: Record<keyof typeof stateMachines, string>;
  token(email: string, role: 'admin' | 'staff' | 'customer' | 'reseller'): Promise<string>;
  /** Runs a scheduled job now, as POST /local/jobs/<name> does. */
  runJob(name: JobName, input?: { now?: string }): Promise<unknown>;
  stop(): Promise<void>;
}

const functionArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:vrs-local-${name}`;
const stateMachineArn = (name: string) => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:vrs-${name}`;

export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const log = opts.log ?? (() => {});
  const persistent = opts.dataDir !== undefined;
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
    const dynamo = await startDynamo({
      tableName: TABLE,
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
      servers: seedServers(new Date().toISOString()).map((s) => ({
        uuid: s.coolifyUuid,
        name: s.name,
        ip: s.ipAddress,
      })),
      ...(file('coolify.json') ? { persistPath: file('coolify.json')! } : {}),
    });
    const auth = new LocalAuth(`vrs-local-${persistent ? dataDir : Math.random()}`);
    // The API answers (health included) only once an order can succeed: see markReady below.
    let ready = false;
    const runJob = (name: string, input: { now?: string } = {}) => {
      const job = jobFunctions[name as JobName];
      return job
        ? loadHandler(job.entry).then((handler) => handler(input, lambdaContext(job.entry, 'job')))
        : undefined;
    };
    const http = createHttpServer({
      auth,
      faults,
      inwx,
      coolify,
      mailbox,
      satellites,
      isReady: () => ready,
      runJob,
    });
    const port = await listen(http, opts.port ?? 0);
    stops.push(() => closeServer(http));
    const url = `http://127.0.0.1:${port}`;

    const arns = {
      'provision-subdomain': stateMachineArn('provision-subdomain'),
      'deploy-project': stateMachineArn('deploy-project'),
    };
    const substitutions: Record<string, string> = {};
    const taskHandlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const [name, entry] of Object.entries(taskFunctions)) {
      substitutions[`${name}FunctionArn`] = functionArn(name);
      taskHandlers[functionArn(name)] = async (input) =>
        (await loadHandler(entry))(input, lambdaContext(entry, 'task'));
    }
    // Status events (e.g. executions a restart interrupted) wait until the environment is set up.
    let markEnvironmentSet!: () => void;
    const environmentSet = new Promise<void>((r) => {
      markEnvironmentSet = r;
    });
    const stepFunctions = new LocalStepFunctions({
      stateMachines: (Object.keys(stateMachines) as (keyof typeof stateMachines)[]).map((name) => ({
        name: `vrs-${name}`,
        arn: arns[name],
        definition: loadDefinition(stateMachines[name], substitutions),
      })),
      taskHandlers,
      waitMs: opts.waitMs ?? 200,
      retryIntervalMs: opts.retryIntervalMs ?? 100,
      onStatusChange: async (event) => {
        await environmentSet;
        const statusHandler = await loadHandler('events/execution-status-changed');
        await statusHandler(event, lambdaContext('events/execution-status-changed', 'event'));
      },
      log: (m, e) => log(e ? `${m}: ${(e as Error).message}` : m),
      ...(file('executions.json') ? { persistPath: file('executions.json')! } : {}),
    });
    stops.push(() => stepFunctions.close());

    const secrets = {
      // New each start: cursors of an earlier run are refused (400), like after a key change on AWS.
      'vrs/local/cursor': JSON.stringify({ key: randomBytes(32).toString('hex') }),
      'vrs/local/inwx': JSON.stringify({
        url: `${url}/sim/inwx/xmlrpc/`,
        user: 'vrs-local',
        pass: 'local-password',
      }),
      'vrs/local/coolify': JSON.stringify({
        baseUrl: `${url}/sim/coolify/api/v1`,
        token: 'local-coolify-token',
      }),
    };
    const aws = await startLocalAwsEndpoint({ stepFunctions, secrets, mail: mailbox, faults });
    stops.push(aws.close);

    Object.assign(process.env, {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: 'S3RVER', // s3rver accepts only its own key; the other engines accept any
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_SFN: aws.url,
      AWS_ENDPOINT_URL_SESV2: aws.url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
      S3_FORCE_PATH_STYLE: 'true',
      TABLE_NAME: TABLE,
      PLUGIN_BUCKET: BUCKET,
      PLUGIN_URL_TTL_SECONDS: '600',
      PROVISION_SUBDOMAIN_STATE_MACHINE_ARN: arns['provision-subdomain'],
      DEPLOY_PROJECT_STATE_MACHINE_ARN: arns['deploy-project'],
      INWX_SECRET_ARN: 'vrs/local/inwx',
      COOLIFY_SECRET_ARN: 'vrs/local/coolify',
      CURSOR_SECRET_ARN: 'vrs/local/cursor',
      EXTERNAL_TIMEOUT_MS: '3000',
      POLL_WITHIN_TASK_MS: String(opts.pollWithinTaskMs ?? 3000),
      POLL_INTERVAL_MS: '25',
      MARKETPLACE_URL: url,
      HEALTH_CHECK_URL_TEMPLATE: `${url}/sim/satellites/{domain}/health`,
      HEALTH_CHECK_TIMEOUT_MS: '2000',
      MAIL_FROM: 'VRS Marketplace <no-reply@vrs.gmbh>',
      STAFF_EMAIL: 'staff@vrs.gmbh',
      RECONCILE_GRACE_SECONDS: '20',
      // EMF metrics are for CloudWatch; locally they would only fill the console.
      POWERTOOLS_METRICS_DISABLED: 'true',
    });

    markEnvironmentSet();

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
      table: TABLE,
      s3: s3Client,
      bucket: BUCKET,
      servers: seedServers(new Date().toISOString()),
    });
    doc.destroy();
    s3Client.destroy();

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

    return {
      url,
      awsEndpoint: aws.url,
      dynamoEndpoint: dynamo.endpoint,
      s3Endpoint: s3.endpoint,
      dataDir: persistent ? dataDir : null,
      auth,
      faults,
      mailbox,
      satellites,
      stepFunctions,
      inwx,
      coolify,
      stateMachineArns: arns,
      token: (email, role) => auth.issue(email, role),
      runJob: (name, input) => runJob(name, input)!,
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
