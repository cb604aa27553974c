import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { UnauthorizedError } from '../../../../shared/platform/errors.js';
import { callerFromEvent } from '../../../../shared/platform/http/auth.js';

// Ownership goes by the token's e-mail, so the e-mail must be one the user has proven to own.

const eventWith = (claims: Record<string, unknown>) =>
  ({ requestContext: { authorizer: { jwt: { claims } } } }) as unknown as APIGatewayProxyEventV2;

const claims = (emailVerified?: unknown) => ({
  sub: '7b3f6a62-1c4e-4f0a-9d6b-2e5a8c1f3d40',
  email: 'Anna.Mueller@Example.com',
  'cognito:groups': '[customer]',
  ...(emailVerified === undefined ? {} : { email_verified: emailVerified }),
});

describe('callerFromEvent', () => {
  it.each([
    ['the string "true" (API Gateway)', 'true'],
    ['boolean true (local tokens)', true],
  ])('accepts an e-mail verified as %s', (_what, verified) => {
    expect(callerFromEvent(eventWith(claims(verified)))).toEqual({
      sub: '7b3f6a62-1c4e-4f0a-9d6b-2e5a8c1f3d40',
      email: 'anna.mueller@example.com',
      roles: ['customer'],
    });
  });

  it.each([
    ['missing', undefined],
    ['the string "false"', 'false'],
    ['boolean false', false],
    ['anything else', 'yes'],
  ])('refuses an e-mail whose verification is %s (401)', (_what, verified) => {
    const call = () => callerFromEvent(eventWith(claims(verified)));
    expect(call).toThrow(UnauthorizedError);
    expect(call).toThrow('The token carries no verified e-mail address.');
  });
});
