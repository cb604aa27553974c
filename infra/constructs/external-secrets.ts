import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { ExternalService } from '../function-needs.js';

/** INWX DomRobot XML-RPC test (OT&E) endpoint; production is https://api.domrobot.com/xmlrpc/. */
export const INWX_OTE_URL = 'https://api.ote.domrobot.com/xmlrpc/';

export interface ExternalSecretsProps {
  readonly inwxUrl: string;
  readonly coolifyBaseUrl: string;
}

/**
 * Credentials of the external services, in the JSON shapes the from-secret.ts modules of shared/integrations/ parses.
 * They are created with placeholder values (the password/token is random, so nothing works until
 * an operator puts the real credentials in) and retained, so a redeploy never loses them.
 */
export class ExternalSecrets extends Construct {
  readonly inwx: Secret;
  readonly coolify: Secret;
  readonly stripe: Secret;

  constructor(scope: Construct, id: string, props: ExternalSecretsProps) {
    super(scope, id);

    this.inwx = new Secret(this, 'InwxSecret', {
      description: 'INWX DomRobot account: {"url","user","pass"}. Operators fill user and pass.',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ url: props.inwxUrl, user: 'REPLACE_WITH_INWX_USER' }),
        generateStringKey: 'pass',
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.coolify = new Secret(this, 'CoolifySecret', {
      description: 'Coolify API: {"baseUrl","token"}. Operators fill baseUrl and an API token.',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ baseUrl: props.coolifyBaseUrl }),
        generateStringKey: 'token',
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // shared/integrations/stripe/from-secret.ts refuses the placeholders (no sk_/whsec_ prefix),
    // so a missing key fails with a clear message instead of a call with a wrong one.
    this.stripe = new Secret(this, 'StripeSecret', {
      description:
        'Stripe: {"secretKey","webhookSecret"}. Operators fill the API secret key (sk_live_…) and the webhook endpoint signing secret (whsec_…).',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ secretKey: 'REPLACE_WITH_STRIPE_SECRET_KEY' }),
        generateStringKey: 'webhookSecret',
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const secret of [this.inwx, this.coolify, this.stripe]) {
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'Third-party credentials (INWX account, Coolify API token, Stripe API key and webhook secret) cannot be rotated by a Secrets Manager rotation function; operators rotate them at the provider and update the secret.',
      });
    }
  }

  secretFor(service: ExternalService): Secret {
    return { inwx: this.inwx, coolify: this.coolify, stripe: this.stripe }[service];
  }
}
