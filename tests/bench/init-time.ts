import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { environmentFor } from '../../infra/function-environment.js';
import { localFunctions } from '../../infra/local/engines/lambda/local-functions.js';
import { DEFAULT_BILLING_POLICY } from '../../shared/billing/billing-rules.js';
import type { BundleResult } from './bundles.js';
import { median } from './format.js';

// Module init time of each function bundle against its reference bundle (the same AWS SDK clients,
// imported and constructed, nothing else), each import in a fresh `node` process.

const run = promisify(execFile);

/** Runs in the child: times only the dynamic import, not node's own start-up. */
const RUNNER = [
  "const { performance } = await import('node:perf_hooks');",
  'const url = process.argv[1];',
  'const c0 = process.cpuUsage();',
  'const t0 = performance.now();',
  'await import(url);',
  'const t1 = performance.now();',
  'const c1 = process.cpuUsage(c0);',
  'process.stdout.write(JSON.stringify({ ms: t1 - t0, cpuMs: (c1.user + c1.system) / 1000 }));',
].join('\n');

const FUNCTIONS = localFunctions();
const ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:vrs-bench';

/**
 * What a Lambda has at init: the variables its manifest entry gives it on AWS (values of the
 * deployed shape; configs parse them at module load), and Lambda's own. A reference bundle gets
 * Lambda's only.
 */
function childEnv(entry?: string): NodeJS.ProcessEnv {
  const needs = entry ? FUNCTIONS.get(entry)?.needs : undefined;
  return {
    ...(needs
      ? environmentFor(needs, {
          tableName: 'vrs-bench',
          cursorSecretArn: ARN,
          previewCodeSecretArn: ARN,
          licenseKeySecretArn: ARN,
          pluginBucket: 'vrs-bench-plugins',
          stateMachineArn: (flow) => `arn:aws:states:eu-central-1:123456789012:stateMachine:vrs-${flow}`,
          externalSecretArn: () => ARN,
          marketplaceUrl: 'https://api.vrs.example',
          healthCheckUrlTemplate: 'https://{domain}/api/health',
          mailFrom: 'VRS Marketplace <no-reply@vrs.example>',
          staffEmail: 'staff@vrs.example',
          reconcileGraceSeconds: '300',
          authCodeKeyId: 'arn:aws:kms:eu-central-1:123456789012:key/bench',
          inwxContactHandles: '1',
          webAppUrl: 'https://marketplace.vrs.example',
          billingPolicy: DEFAULT_BILLING_POLICY,
        })
      : {}),
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    AWS_REGION: 'eu-central-1',
    AWS_DEFAULT_REGION: 'eu-central-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_LAMBDA_FUNCTION_NAME: 'vrs-bench',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    LOG_LEVEL: 'WARN',
    NODE_ENV: 'production',
  };
}

export interface ImportTime {
  /** Wall time of the import. */
  ms: number;
  /** CPU time (user + system) of the process during the import: less sensitive to other load. */
  cpuMs: number;
}

export async function importTime(file: string, entry?: string): Promise<ImportTime> {
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '-e', RUNNER, pathToFileURL(file).href],
    {
      env: childEnv(entry),
      timeout: 30_000,
      maxBuffer: 1024 * 1024,
    },
  );
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as ImportTime;
}

export interface InitFigure {
  entry: string;
  referenceKey: string;
  functionMs: number;
  referenceMs: number;
  ratio: number;
  functionCpuMs: number;
  referenceCpuMs: number;
  cpuRatio: number;
  functionSamples: ImportTime[];
  referenceSamples: ImportTime[];
  error?: string;
}

export async function measureInitTimes(
  bundles: BundleResult,
  repetitions: number,
  onProgress?: (done: number, total: number) => void,
): Promise<InitFigure[]> {
  const figures: InitFigure[] = [];
  let done = 0;
  // Untimed: brings node and the SDK packages into the file system cache.
  for (const reference of bundles.references.values()) await importTime(reference.file).catch(() => null);
  for (const fn of bundles.functions) {
    const reference = bundles.references.get(fn.referenceKey)!;
    const functionSamples: ImportTime[] = [];
    const referenceSamples: ImportTime[] = [];
    let error: string | undefined;
    try {
      for (let i = 0; i < repetitions; i++) {
        // Interleaved, and alternating which goes first, so drift hits both alike.
        if (i % 2 === 0) {
          functionSamples.push(await importTime(fn.file, fn.entry));
          referenceSamples.push(await importTime(reference.file));
        } else {
          referenceSamples.push(await importTime(reference.file));
          functionSamples.push(await importTime(fn.file, fn.entry));
        }
      }
    } catch (err) {
      const e = err as Error & { stderr?: string };
      error = (
        e.stderr
          ?.trim()
          .split('\n')
          .find((l) => /Error/.test(l)) ?? e.message
      ).slice(0, 300);
    }
    const functionMs = median(functionSamples.map((t) => t.ms));
    const referenceMs = median(referenceSamples.map((t) => t.ms));
    const functionCpuMs = median(functionSamples.map((t) => t.cpuMs));
    const referenceCpuMs = median(referenceSamples.map((t) => t.cpuMs));
    figures.push({
      entry: fn.entry,
      referenceKey: fn.referenceKey,
      functionMs,
      referenceMs,
      ratio: functionMs / referenceMs,
      functionCpuMs,
      referenceCpuMs,
      cpuRatio: functionCpuMs / referenceCpuMs,
      functionSamples,
      referenceSamples,
      ...(error ? { error } : {}),
    });
    onProgress?.(++done, bundles.functions.length);
  }
  return figures;
}
