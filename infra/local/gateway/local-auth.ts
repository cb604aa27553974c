import { createHash } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import * as z from 'zod';
import { ROLES } from '../../../shared/platform/http/auth.js';

// Local stand-in for Cognito + the API Gateway JWT authorizer: tokens signed with a local key,
// carrying the same claims Cognito puts into its ID tokens.

const ISSUER = 'vrs-local';
export const tokenRequest = z.strictObject({
  email: z.email().transform((s) => s.toLowerCase()),
  role: z.enum(ROLES),
  emailVerified: z.boolean().default(true),
});

export class LocalAuth {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = createHash('sha256').update(secret).digest();
  }

  issue(email: string, role: (typeof ROLES)[number], emailVerified = true): Promise<string> {
    const sub = createHash('sha256').update(email).digest('hex').slice(0, 32);
    return new SignJWT({ email, email_verified: emailVerified, 'cognito:groups': [role], token_use: 'id' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime('12h')
      .sign(this.key);
  }

  /** The claims of a valid bearer token, or null (the caller answers 401 as API Gateway would). */
  async verify(authorization: string | undefined): Promise<Record<string, unknown> | null> {
    const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1];
    if (!token) return null;
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER });
      return payload as Record<string, unknown>;
    } catch {
      return null;
    }
  }
}
