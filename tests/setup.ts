// Node 20 lacks Promise.withResolvers, which aws-local-stepfunctions uses.
import '../infra/local/engines/polyfills.js';

// The SDK warns that its 2027 releases need Node 22; Lambda runs Node 22, so in tests this is noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// EMF metrics are for CloudWatch; in tests they would only fill the output.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
