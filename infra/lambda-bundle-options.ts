import path from 'node:path';
import type { BuildOptions } from 'esbuild';
import { ESM_REQUIRE_BANNER } from './esm-require-banner.js';

// How a Lambda function is bundled for AWS (infra/constructs/marketplace-function.ts), and measured
// against the bundle budget (tests/bench/bundles.ts): one ESM file for Node 22, minified with a
// linked source map, the AWS SDK v3 left to the runtime, `require` available for CommonJS deps.

export const REPO_ROOT = path.resolve(import.meta.dirname, '..');

export const LAMBDA_BUNDLE_OPTIONS = {
  absWorkingDir: REPO_ROOT,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  banner: { js: ESM_REQUIRE_BANNER },
  external: ['@aws-sdk/*'],
  tsconfig: path.join(REPO_ROOT, 'tsconfig.json'),
} as const satisfies BuildOptions;
