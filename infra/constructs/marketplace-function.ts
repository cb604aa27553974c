import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { AssetHashType, DockerImage, type Duration, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { buildSync } from 'esbuild';
import { LAMBDA_BUNDLE_OPTIONS, REPO_ROOT } from '../lambda-bundle-options.js';

export { REPO_ROOT };

export interface MarketplaceFunctionProps {
  /** Entry below functions/, without extension: 'api/health', 'tasks/reserve-server', ... */
  readonly entry: string;
  readonly description: string;
  readonly timeout: Duration;
  readonly memorySize: number;
  /**
   * The log group it writes to, shared by the functions of one kind (api, task, event, job): a log
   * group per function would take 80 of CloudFormation's 500 resources per stack. Powertools puts
   * `function_name` on every line, so Logs Insights separates them.
   */
  readonly logGroup: ILogGroup;
  /** Files (from the repository root) copied next to the bundle, for the function to read. */
  readonly bundledFiles?: readonly string[];
}

/**
 * One Lambda function of the marketplace: Node 22 on arm64, bundled as ESM with esbuild (the
 * runtime provides AWS SDK v3), the log group of its kind, and its own role that can write only to that
 * log group — permissions for anything else are granted explicitly by the stack.
 */
export class MarketplaceFunction extends Construct {
  readonly fn: LambdaFunction;
  readonly role: Role;
  readonly logGroup: ILogGroup;

  constructor(scope: Construct, id: string, props: MarketplaceFunctionProps) {
    super(scope, id);
    this.logGroup = props.logGroup;
    // A role of our own instead of the default one with the AWSLambdaBasicExecutionRole managed
    // policy (which may write to every log group in the account).
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.entry}`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new LambdaFunction(this, 'Function', {
      code: bundledCode(props.entry, props.bundledFiles ?? []),
      handler: 'index.handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      environment: { NODE_OPTIONS: '--enable-source-maps' },
    });
    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'nodejs22.x on purpose: the same handlers run locally on Node 20 (docs/architecture.md §1); move to the next LTS runtime together with local mode.',
    });
  }

  addEnvironment(variables: Record<string, string>): void {
    for (const [name, value] of Object.entries(variables)) this.fn.addEnvironment(name, value);
  }
}

/**
 * The function's code: one ESM bundle by esbuild, in process (what NodejsFunction does with the same
 * options, but it runs `npx esbuild` per function: 0.8 s of npx each, 80 times per synth). Minified
 * with a linked source map, the AWS SDK left to the runtime; `files` are copied next to it.
 */
function bundledCode(entry: string, files: readonly string[]): Code {
  return Code.fromAsset(REPO_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never used: local bundling always succeeds (esbuild is a dependency), Docker is not needed.
      image: DockerImage.fromRegistry('dummy'),
      // CDK keys its bundling cache on these options: naming the entry and files keeps one bundle per function.
      command: ['bundle', entry, ...files],
      local: {
        tryBundle(outputDir: string): boolean {
          const result = buildSync({
            ...LAMBDA_BUNDLE_OPTIONS,
            entryPoints: [path.join(REPO_ROOT, 'functions', `${entry}.ts`)],
            outfile: path.join(outputDir, 'index.mjs'),
            logLevel: 'warning',
          });
          if (result.errors.length) throw new Error(`esbuild failed for ${entry}`);
          for (const file of files)
            copyFileSync(path.join(REPO_ROOT, file), path.join(outputDir, path.basename(file)));
          return true;
        },
      },
    },
  });
}
