import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { LAMBDA_BUNDLE_OPTIONS } from '../../infra/lambda-bundle-options.js';

// Bundles every Lambda entry the way CDK does (infra/lambda-bundle-options.ts), and a
// reference bundle per set of AWS SDK clients that only imports and constructs those clients.

export const REPO_ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
/** Inside the repo so that `@aws-sdk/*` resolves from its node_modules (ESM ignores NODE_PATH). */
export const OUT_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'vrs-bench');

const COMMON: BuildOptions = {
  ...LAMBDA_BUNDLE_OPTIONS,
  outExtension: { '.js': '.mjs' },
  metafile: true,
  logLevel: 'silent',
};

export const FUNCTION_DIRS = ['api', 'tasks', 'events', 'jobs'] as const;

/** SDK packages the reference bundles construct clients of; other @aws-sdk imports are only listed. */
const CLIENT_PACKAGE = /^@aws-sdk\/(client-[a-z0-9-]+|lib-dynamodb|s3-request-presigner)$/;

/** Client class per SDK package (the ones in package.json); others are found by looking at the exports. */
const CLIENT_CLASS: Record<string, string> = {
  '@aws-sdk/client-dynamodb': 'DynamoDBClient',
  '@aws-sdk/client-s3': 'S3Client',
  '@aws-sdk/client-secrets-manager': 'SecretsManagerClient',
  '@aws-sdk/client-sesv2': 'SESv2Client',
  '@aws-sdk/client-sfn': 'SFNClient',
};

/**
 * The reference of a function without SDK clients (health, openapi): against an empty module any
 * code is "many times" the reference, so such a function is held to what the lightest data-reading
 * function's SDK clients alone cost at init.
 */
const BASELINE_PACKAGES = ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'];
const referenceKeyOf = (sdkPackages: string[]): string =>
  (sdkPackages.length ? sdkPackages : BASELINE_PACKAGES).map((p) => p.slice('@aws-sdk/'.length)).join('+');

export interface FunctionBundle {
  /** Entry below functions/ without extension, e.g. `api/health`. */
  entry: string;
  file: string;
  bytes: number;
  /** @aws-sdk packages whose clients the reference constructs (sorted). */
  sdkPackages: string[];
  /** Every external @aws-sdk import path of the bundle. */
  sdkImports: string[];
  referenceKey: string;
  /** Bytes in the output per package (`node_modules` package name, or the repo's top folder), largest first. */
  composition: { name: string; bytes: number }[];
}

export interface ReferenceBundle {
  key: string;
  file: string;
  bytes: number;
  source: string;
}

export interface BundleResult {
  functions: FunctionBundle[];
  references: Map<string, ReferenceBundle>;
  warnings: string[];
  buildMs: number;
}

export function listEntries(): string[] {
  const entries: string[] = [];
  for (const dir of FUNCTION_DIRS) {
    for (const name of readdirSync(join(REPO_ROOT, 'functions', dir)).sort()) {
      if (name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.test.ts')) {
        entries.push(`${dir}/${name.slice(0, -3)}`);
      }
    }
  }
  return entries;
}

export async function bundleAll(): Promise<BundleResult> {
  const started = performance.now();
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  const entries = listEntries();
  const warnings: string[] = [];

  // One esbuild call per function, as CDK does (without splitting the outputs are the same anyway).
  const functions = await Promise.all(
    entries.map(async (entry): Promise<FunctionBundle> => {
      const file = join(OUT_DIR, 'functions', `${entry}.mjs`);
      const result = await build({
        ...COMMON,
        entryPoints: [join(REPO_ROOT, 'functions', `${entry}.ts`)],
        outfile: file,
      });
      for (const w of result.warnings) warnings.push(`${entry}: ${w.text}`);
      const output = outputOf(result.metafile!, file);
      const sdkImports = [
        ...new Set(
          output.imports.filter((i) => i.external && i.path.startsWith('@aws-sdk/')).map((i) => i.path),
        ),
      ].sort();
      const sdkPackages = [...new Set(sdkImports.map(packageOf))]
        .filter((p) => CLIENT_PACKAGE.test(p))
        .sort();
      return {
        entry,
        file,
        bytes: output.bytes,
        sdkImports,
        sdkPackages,
        referenceKey: referenceKeyOf(sdkPackages),
        composition: composition(output.inputs),
      };
    }),
  );

  const references = new Map<string, ReferenceBundle>();
  for (const fn of functions) {
    if (references.has(fn.referenceKey)) continue;
    const source = await referenceSource(fn.sdkPackages.length ? fn.sdkPackages : BASELINE_PACKAGES);
    const file = join(OUT_DIR, 'references', `${fn.referenceKey}.mjs`);
    const result = await build({
      ...COMMON,
      stdin: {
        contents: source,
        resolveDir: REPO_ROOT,
        sourcefile: `reference-${fn.referenceKey}.mjs`,
        loader: 'js',
      },
      outfile: file,
    });
    for (const w of result.warnings) warnings.push(`reference ${fn.referenceKey}: ${w.text}`);
    references.set(fn.referenceKey, {
      key: fn.referenceKey,
      file,
      bytes: outputOf(result.metafile!, file).bytes,
      source,
    });
  }

  return { functions, references, warnings, buildMs: performance.now() - started };
}

function outputOf(metafile: Metafile, file: string): Metafile['outputs'][string] {
  const key = relative(REPO_ROOT, file).split('\\').join('/');
  const output = metafile.outputs[key];
  if (!output)
    throw new Error(`esbuild metafile has no output ${key} (has ${Object.keys(metafile.outputs)})`);
  return output;
}

function composition(inputs: Record<string, { bytesInOutput: number }>): { name: string; bytes: number }[] {
  const bytes = new Map<string, number>();
  for (const [path, input] of Object.entries(inputs)) {
    const name = sourceGroup(path);
    bytes.set(name, (bytes.get(name) ?? 0) + input.bytesInOutput);
  }
  return [...bytes].map(([name, b]) => ({ name, bytes: b })).sort((a, b) => b.bytes - a.bytes);
}

/** `node_modules/zod/v4/core/x.js` → `zod`; `shared/platform/http/auth.ts` → `(repo) shared/`. */
function sourceGroup(path: string): string {
  const parts = path.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at >= 0) {
    const first = parts[at + 1] ?? '?';
    return first.startsWith('@') ? `${first}/${parts[at + 2] ?? '?'}` : first;
  }
  return parts.length > 1 ? `(repo) ${parts[0]}/` : `(repo) ${path}`;
}

/** `@aws-sdk/client-s3/dist-es/x` → `@aws-sdk/client-s3`. */
function packageOf(path: string): string {
  return path.split('/').slice(0, 2).join('/');
}

/** A module that imports the packages and constructs one client of each, as a function would. */
async function referenceSource(packages: readonly string[]): Promise<string> {
  const set = new Set(packages);
  // A document client needs the DynamoDB client under it.
  if (set.has('@aws-sdk/lib-dynamodb')) set.add('@aws-sdk/client-dynamodb');
  const imports: string[] = [];
  const clients: string[] = [];
  const keep: string[] = [];
  for (const pkg of [...set].sort()) {
    if (pkg === '@aws-sdk/lib-dynamodb') {
      imports.push(`import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';`);
      clients.push('DynamoDBDocumentClient.from(new DynamoDBClient({}))');
    } else if (pkg === '@aws-sdk/s3-request-presigner') {
      imports.push(`import { getSignedUrl } from '@aws-sdk/s3-request-presigner';`);
      keep.push('getSignedUrl');
    } else {
      const cls = CLIENT_CLASS[pkg] ?? (await findClientClass(pkg));
      imports.push(`import { ${cls} } from '${pkg}';`);
      // The plain DynamoDB client is constructed inside the document client when both are used.
      if (!(pkg === '@aws-sdk/client-dynamodb' && set.has('@aws-sdk/lib-dynamodb'))) {
        clients.push(`new ${cls}({})`);
      }
    }
  }
  return [
    ...imports,
    `const clients = [${clients.join(', ')}];`,
    `globalThis.__vrsBenchReference = { clients, keep: [${keep.join(', ')}] };`,
    '',
  ].join('\n');
}

async function findClientClass(pkg: string): Promise<string> {
  const mod = (await import(pkg)) as Record<string, unknown>;
  const name = Object.keys(mod).find((k) => /^[A-Z]\w*Client$/.test(k) && typeof mod[k] === 'function');
  if (!name) throw new Error(`no *Client export found in ${pkg}`);
  return name;
}
