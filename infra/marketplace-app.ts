import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { MarketplaceStack } from './marketplace-stack.js';
import { settingsFromContext } from './settings.js';

export const STACK_NAME = 'VrsMarketplace';

/**
 * The CDK app: the marketplace stack, checked by cdk-nag's AwsSolutions pack. cdk-nag 3 is a
 * policy-validation plugin: findings go to the cloud assembly's validation report and fail the
 * synth; acknowledged ones (`Validations.of(x).acknowledge`) are listed there with their reason.
 */
export function createMarketplaceApp(props: AppProps = {}): { app: App; stack: MarketplaceStack } {
  const app = new App(props);
  const stack = new MarketplaceStack(app, STACK_NAME, {
    description: 'VRS Marketplace: API, provisioning state machines, data',
    settings: settingsFromContext(app.node),
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
