import path from 'node:path';
import { type Duration, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ESM_REQUIRE_BANNER } from '../esm-require-banner.js';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

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
  readonly fn: NodejsFunction;
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

    this.fn = new NodejsFunction(this, 'Function', {
      entry: path.join(REPO_ROOT, 'functions', `${props.entry}.ts`),
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      projectRoot: REPO_ROOT,
      environment: { NODE_OPTIONS: '--enable-source-maps' },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        banner: ESM_REQUIRE_BANNER,
        externalModules: ['@aws-sdk/*'],
        tsconfig: path.join(REPO_ROOT, 'tsconfig.json'),
        logLevel: LogLevel.WARNING,
        ...(props.bundledFiles?.length
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) =>
                  (props.bundledFiles ?? []).map(
                    (file) =>
                      `cp "${path.join(inputDir, file)}" "${path.join(outputDir, path.basename(file))}"`,
                  ),
              },
            }
          : {}),
      },
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
