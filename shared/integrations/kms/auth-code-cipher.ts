import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import * as z from 'zod';
import { awsClientOptions } from '../../platform/aws-client-options.js';
import { defineConfig } from '../../platform/config.js';
import { sdkCallOptions } from '../../platform/deadline.js';
import { ExternalServiceError } from '../../platform/errors.js';

// Transfer auth codes at rest: encrypted under our KMS key (locally: the local KMS engine), bound
// to their project and domain by the encryption context, so a ciphertext copied to another domain
// does not decrypt. The plain code exists only in the request that brings it and in the task that
// hands it to INWX; it is never returned, logged or mailed.

const config = defineConfig('auth code key', z.object({ AUTH_CODE_KEY_ID: z.string().min(1) }));

let client: KMSClient | undefined;
const kms = () => (client ??= new KMSClient(awsClientOptions));

export interface AuthCodeScope {
  projectId: string;
  /** The domain in punycode. */
  domain: string;
}

/** Base64 of the KMS ciphertext. */
export async function encryptAuthCode(authCode: string, scope: AuthCodeScope): Promise<string> {
  try {
    const out = await kms().send(
      new EncryptCommand({
        KeyId: config().AUTH_CODE_KEY_ID,
        Plaintext: Buffer.from(authCode, 'utf8'),
        EncryptionContext: { projectId: scope.projectId, domain: scope.domain },
      }),
      sdkCallOptions(),
    );
    if (!out.CiphertextBlob) throw new Error('no ciphertext in the answer');
    return Buffer.from(out.CiphertextBlob).toString('base64');
  } catch (err) {
    throw kmsError('encrypt', err);
  }
}

export async function decryptAuthCode(ciphertext: string, scope: AuthCodeScope): Promise<string> {
  try {
    const out = await kms().send(
      new DecryptCommand({
        KeyId: config().AUTH_CODE_KEY_ID,
        CiphertextBlob: Buffer.from(ciphertext, 'base64'),
        EncryptionContext: { projectId: scope.projectId, domain: scope.domain },
      }),
      sdkCallOptions(),
    );
    if (!out.Plaintext) throw new Error('no plaintext in the answer');
    return Buffer.from(out.Plaintext).toString('utf8');
  } catch (err) {
    throw kmsError('decrypt', err);
  }
}

/** Only the error's name and message: never the code or the ciphertext. */
function kmsError(action: string, err: unknown): ExternalServiceError {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  const transient =
    status === undefined ||
    status >= 500 ||
    ['ThrottlingException', 'KMSInternalException', 'DependencyTimeoutException', 'TimeoutError'].includes(
      e.name ?? '',
    );
  return new ExternalServiceError(
    'aws',
    `KMS could not ${action} an auth code: ${e.name ?? 'Error'}`,
    transient,
  );
}
