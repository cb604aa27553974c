import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, toSimRequest } from '../gateway/request-body.js';
import { type Fault, type FaultRegistry, TIMEOUT_FAULT_MS } from '../simulators/faults.js';
import { DropConnection, type LocalMailbox } from '../simulators/mail.js';
import { type SimResponse, stall } from '../simulators/types.js';
import { type LocalKms, LocalKmsError } from './kms.js';
import { StepFunctionsApiError } from './step-functions/errors.js';
import type { LocalStepFunctions } from './step-functions/local-step-functions.js';
import type { ExecutionStatus } from './step-functions/types.js';

// One local "AWS endpoint" for the services our handlers call through the real SDK clients. Point them at it
// with AWS_ENDPOINT_URL_SFN / AWS_ENDPOINT_URL_SESV2 / AWS_ENDPOINT_URL_SECRETS_MANAGER (or `endpoint`).
// Requests are routed by protocol: X-Amz-Target for the JSON protocols, the path for SES v2 REST.
// SigV4 signatures are not verified.

export interface LocalAwsEndpointOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  stepFunctions: LocalStepFunctions;
  /** SecretString by SecretId: a secret name or a full secret ARN. Read on every request. */
  secrets: Record<string, string>;
  mail: LocalMailbox;
  /** KMS Encrypt/Decrypt (auth codes); without it KMS calls are unknown operations. */
  kms?: LocalKms;
  /** `/sim/faults` with service `stepfunctions` and the API action as operation (`StartExecution`). */
  faults?: FaultRegistry;
}

export interface LocalAwsEndpoint {
  url: string;
  port: number;
  close(): Promise<void>;
}

const DEFAULT_REGION = 'eu-central-1';
const ACCOUNT = '000000000000';

export async function startLocalAwsEndpoint(options: LocalAwsEndpointOptions): Promise<LocalAwsEndpoint> {
  const server = createServer((req, res) => {
    handle(options, req, res).catch((err) => {
      console.error('Local AWS endpoint: request failed', err);
      if (!res.headersSent) send(res, awsJsonError(500, 'InternalFailure', 'Internal error', '1.0'));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function handle(
  options: LocalAwsEndpointOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readBody(req);
  if (body === null) {
    send(
      res,
      awsJsonError(413, 'RequestEntityTooLargeException', 'Request bodies are limited to 1 MiB.', '1.0'),
    );
    return;
  }
  const abort = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const target = headerValue(req, 'x-amz-target') ?? '';
  const region = regionOf(req);

  let response: SimResponse;
  try {
    if (target.startsWith('AWSStepFunctions.')) {
      const operation = target.slice('AWSStepFunctions.'.length);
      const fault = options.faults?.take('stepfunctions', operation);
      response = fault
        ? await stepFunctionsFault(fault, abort.signal)
        : await stepFunctions(options.stepFunctions, operation, body);
    } else if (target.startsWith('TrentService.') && options.kms) {
      response = kms(options.kms, target.slice('TrentService.'.length), body);
    } else if (target.startsWith('secretsmanager.')) {
      response = secretsManager(options.secrets, target.slice('secretsmanager.'.length), body, region);
    } else if (url.pathname.startsWith('/v2/email/')) {
      response = await options.mail.handleSesRequest(toSimRequest(req, url, body), abort.signal);
    } else {
      response = awsJsonError(
        404,
        'UnknownOperationException',
        `No local AWS service for ${req.method} ${url.pathname} ${target}`.trim(),
        '1.0',
      );
    }
  } catch (err) {
    if (err instanceof DropConnection) {
      req.socket.destroy();
      return;
    }
    throw err;
  }
  if (abort.signal.aborted) return;
  send(res, response);
}

// --- Step Functions (AWS JSON 1.0) -------------------------------------------------------------------

async function stepFunctions(sfn: LocalStepFunctions, operation: string, raw: Buffer): Promise<SimResponse> {
  const json = (value: unknown) => awsJson(value, '1.0');
  try {
    const body = parseJsonBody(raw);
    switch (operation) {
      case 'StartExecution': {
        const input = body.input ?? '{}';
        if (typeof input !== 'string') throw validation('input', 'Member must be a string');
        const out = await sfn.startExecution({
          stateMachineArn: requiredString(body, 'stateMachineArn'),
          ...(body.name !== undefined ? { name: requiredString(body, 'name') } : {}),
          input,
        });
        return json({ executionArn: out.executionArn, startDate: seconds(out.startDate) });
      }
      case 'DescribeExecution': {
        const d = await sfn.describeExecution({ executionArn: requiredString(body, 'executionArn') });
        return json(
          compact({
            executionArn: d.executionArn,
            stateMachineArn: d.stateMachineArn,
            name: d.name,
            status: d.status,
            startDate: seconds(d.startDate),
            stopDate: d.stopDate && seconds(d.stopDate),
            input: d.input,
            inputDetails: { included: true },
            output: d.output,
            outputDetails: d.output !== undefined ? { included: true } : undefined,
            error: d.error,
            cause: d.cause,
            redriveCount: d.redriveCount,
            redriveDate: d.redriveDate && seconds(d.redriveDate),
            redriveStatus: d.redriveStatus,
            redriveStatusReason: d.redriveStatusReason,
          }),
        );
      }
      case 'RedriveExecution': {
        const out = await sfn.redriveExecution({ executionArn: requiredString(body, 'executionArn') });
        return json({ redriveDate: seconds(out.redriveDate) });
      }
      case 'StopExecution': {
        const out = await sfn.stopExecution({
          executionArn: requiredString(body, 'executionArn'),
          ...(typeof body.error === 'string' ? { error: body.error } : {}),
          ...(typeof body.cause === 'string' ? { cause: body.cause } : {}),
        });
        return json({ stopDate: seconds(out.stopDate) });
      }
      case 'ListExecutions': {
        const out = await sfn.listExecutions({
          stateMachineArn: requiredString(body, 'stateMachineArn'),
          ...(typeof body.statusFilter === 'string'
            ? { statusFilter: body.statusFilter as ExecutionStatus }
            : {}),
          ...(typeof body.maxResults === 'number' ? { maxResults: body.maxResults } : {}),
          ...(typeof body.nextToken === 'string' ? { nextToken: body.nextToken } : {}),
        });
        return json(
          compact({
            executions: out.executions.map((e) =>
              compact({
                ...e,
                startDate: seconds(e.startDate),
                stopDate: e.stopDate && seconds(e.stopDate),
                redriveDate: e.redriveDate && seconds(e.redriveDate),
              }),
            ),
            nextToken: out.nextToken,
          }),
        );
      }
      case 'SendTaskSuccess': {
        await sfn.sendTaskSuccess({
          taskToken: requiredString(body, 'taskToken'),
          output: requiredString(body, 'output'),
        });
        return json({});
      }
      case 'SendTaskFailure': {
        await sfn.sendTaskFailure({
          taskToken: requiredString(body, 'taskToken'),
          ...(typeof body.error === 'string' ? { error: body.error } : {}),
          ...(typeof body.cause === 'string' ? { cause: body.cause } : {}),
        });
        return json({});
      }
      case 'SendTaskHeartbeat': {
        await sfn.sendTaskHeartbeat({ taskToken: requiredString(body, 'taskToken') });
        return json({});
      }
      default:
        return awsJsonError(
          400,
          'UnknownOperationException',
          `Operation ${operation} is not available locally`,
          '1.0',
        );
    }
  } catch (err) {
    if (err instanceof StepFunctionsApiError) return awsJsonError(400, err.name, err.message, '1.0');
    throw err;
  }
}

/** What Step Functions answers when it fails: the SDK retries 5xx and throttling itself. */
async function stepFunctionsFault(fault: Fault, signal: AbortSignal): Promise<SimResponse> {
  switch (fault.mode) {
    case 'error':
      return awsJsonError(400, 'SimulatedFailure', 'Simulated Step Functions failure', '1.0');
    case 'http_500':
      return awsJsonError(500, 'ServiceUnavailable', 'Simulated service error', '1.0');
    case 'http_429':
      return awsJsonError(400, 'ThrottlingException', 'Rate exceeded', '1.0');
    case 'http_404':
      return awsJsonError(400, 'ExecutionDoesNotExist', 'Simulated: execution does not exist', '1.0');
    case 'timeout':
      await stall(TIMEOUT_FAULT_MS, signal);
      return awsJsonError(504, 'RequestTimeout', 'Simulated timeout', '1.0');
  }
}

// --- KMS (AWS JSON 1.1) ------------------------------------------------------------------------------

function kms(local: LocalKms, operation: string, raw: Buffer): SimResponse {
  try {
    const body = parseJsonBody(raw);
    const context = (body.EncryptionContext ?? {}) as Record<string, string>;
    switch (operation) {
      case 'Encrypt': {
        const blob = local.encrypt(Buffer.from(requiredString(body, 'Plaintext'), 'base64'), context);
        return awsJson(
          {
            CiphertextBlob: blob.toString('base64'),
            KeyId: local.keyArn,
            EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
          },
          '1.1',
        );
      }
      case 'Decrypt': {
        const plain = local.decrypt(Buffer.from(requiredString(body, 'CiphertextBlob'), 'base64'), context);
        return awsJson(
          {
            Plaintext: plain.toString('base64'),
            KeyId: local.keyArn,
            EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
          },
          '1.1',
        );
      }
      default:
        return awsJsonError(
          400,
          'UnknownOperationException',
          `Operation ${operation} is not available locally`,
          '1.1',
        );
    }
  } catch (err) {
    if (err instanceof LocalKmsError || err instanceof StepFunctionsApiError) {
      return awsJsonError(400, err.name, err.message, '1.1');
    }
    throw err;
  }
}

// --- Secrets Manager (AWS JSON 1.1) ------------------------------------------------------------------

function secretsManager(
  secrets: Record<string, string>,
  operation: string,
  raw: Buffer,
  region: string,
): SimResponse {
  if (operation !== 'GetSecretValue') {
    return awsJsonError(
      400,
      'UnknownOperationException',
      `Operation ${operation} is not available locally`,
      '1.1',
    );
  }
  let secretId: string;
  try {
    secretId = requiredString(parseJsonBody(raw), 'SecretId');
  } catch (err) {
    if (err instanceof StepFunctionsApiError) return awsJsonError(400, err.name, err.message, '1.1');
    throw err;
  }
  const found = findSecret(secrets, secretId);
  if (!found) {
    return awsJsonError(
      400,
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret.",
      '1.1',
    );
  }
  const name = secretNames(found.key).at(-1) ?? found.key;
  const hash = createHash('sha256').update(found.key).digest('hex');
  const arn = found.key.startsWith('arn:')
    ? found.key
    : `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${name}-${hash.slice(0, 6)}`;
  const versionHash = createHash('sha256').update(found.value).digest('hex');
  return awsJson(
    {
      ARN: arn,
      Name: name,
      SecretString: found.value,
      VersionId: `${versionHash.slice(0, 8)}-${versionHash.slice(8, 12)}-${versionHash.slice(12, 16)}-${versionHash.slice(16, 20)}-${versionHash.slice(20, 32)}`,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: 1_700_000_000,
    },
    '1.1',
  );
}

/** Matches by exact id, or by secret name between names and ARNs (with or without the 6-character suffix). */
function findSecret(secrets: Record<string, string>, id: string): { key: string; value: string } | undefined {
  const exact = secrets[id];
  if (exact !== undefined) return { key: id, value: exact };
  const wanted = new Set(secretNames(id));
  for (const [key, value] of Object.entries(secrets)) {
    if (secretNames(key).some((n) => wanted.has(n))) return { key, value };
  }
  return undefined;
}

function secretNames(idOrArn: string): string[] {
  const marker = ':secret:';
  const at = idOrArn.startsWith('arn:') ? idOrArn.indexOf(marker) : -1;
  if (at < 0) return [idOrArn];
  const resource = idOrArn.slice(at + marker.length);
  const stripped = resource.replace(/-[A-Za-z0-9]{6}$/, '');
  return stripped === resource ? [resource] : [resource, stripped];
}

// --- protocol helpers ----------------------------------------------------------------------------------

function awsJson(value: unknown, version: '1.0' | '1.1'): SimResponse {
  return {
    status: 200,
    headers: { 'content-type': `application/x-amz-json-${version}` },
    body: JSON.stringify(value),
  };
}

function awsJsonError(status: number, type: string, message: string, version: '1.0' | '1.1'): SimResponse {
  return {
    status,
    headers: { 'content-type': `application/x-amz-json-${version}`, 'x-amzn-ErrorType': type },
    body: JSON.stringify({ __type: type, message }),
  };
}

function send(res: ServerResponse, response: SimResponse): void {
  const body = response.body ?? '';
  res.writeHead(response.status, {
    ...response.headers,
    'x-amzn-RequestId': randomUUID(),
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

function parseJsonBody(raw: Buffer): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(raw.toString('utf8') || '{}');
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new StepFunctionsApiError('ValidationException', 'Request body is not a JSON object');
}

function requiredString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value.length === 0) throw validation(field, 'Member must not be null');
  return value;
}

function validation(field: string, constraint: string): StepFunctionsApiError {
  return new StepFunctionsApiError(
    'ValidationException',
    `1 validation error detected: Value at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

/** AWS JSON protocols send timestamps as epoch seconds. */
function seconds(date: Date): number {
  return date.getTime() / 1000;
}

function compact<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The region from the SigV4 credential scope (`Credential=AKID/date/region/service/aws4_request`). */
function regionOf(req: IncomingMessage): string {
  const match = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(headerValue(req, 'authorization') ?? '');
  return match?.[1] ?? DEFAULT_REGION;
}
