import { createMarketplaceApp } from './marketplace-app.js';

// Entry of `npx cdk synth|deploy` (cdk.json). Telemetry off: CDK_DISABLE_CLI_TELEMETRY=true.
createMarketplaceApp().app.synth();
