import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  UserPool,
  type UserPoolClient,
  UserPoolEmail,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES } from '../../shared/platform/http/auth.js';

/**
 * Staff and customers sign in with their e-mail address; the groups are the roles the route table
 * checks (shared/platform/http/auth.ts reads `cognito:groups`, `email` and `email_verified` from the ID token).
 */
export class UserDirectory extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.userPool = new UserPool(this, 'UserPool', {
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      // The e-mail decides whose projects a user sees (shared/platform/http/auth.ts): a new address takes
      // effect only once its owner has verified it.
      keepOriginal: { email: true },
      // Accounts are created by staff (and, later, by the order flow); no open sign-up.
      selfSignUpEnabled: false,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.ESSENTIALS,
      email: UserPoolEmail.withCognito(),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge(
      {
        id: 'AwsSolutions-COG2',
        reason:
          'MFA is optional (TOTP) so customers can sign in without an authenticator app; staff accounts are required to enrol TOTP by operating procedure.',
      },
      {
        id: 'AwsSolutions-COG8',
        reason:
          'Essentials feature plan: the Plus plan (threat protection) is billed per active user and not justified at launch; revisit when customer accounts grow.',
      },
    );

    for (const role of ROLES) {
      this.userPool.addGroup(`${role}Group`, { groupName: role, description: `Role "${role}"` });
    }

    this.client = this.userPool.addClient('WebClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      // Never `email` (nor `email_verified`): users change their address only through verification.
      writeAttributes: new ClientAttributes().withStandardAttributes({
        fullname: true,
        givenName: true,
        familyName: true,
        locale: true,
      }),
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
  }
}
