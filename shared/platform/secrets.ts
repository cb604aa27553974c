import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { z } from 'zod';
import { awsClientOptions } from './aws-client-options.js';
import { ExternalServiceError } from './errors.js';

// Credentials for INWX and Coolify come from Secrets Manager, read once per cold start and cached.

let client: SecretsManagerClient | undefined;
const cache = new Map<string, Promise<unknown>>();

export function readJsonSecret<T extends z.ZodType>(secretId: string, schema: T): Promise<z.infer<T>> {
  let pending = cache.get(secretId);
  if (!pending) {
    client ??= new SecretsManagerClient(awsClientOptions);
    pending = client
      .send(new GetSecretValueCommand({ SecretId: secretId }))
      .then((out) => {
        const parsed = schema.safeParse(JSON.parse(out.SecretString ?? 'null'));
        if (!parsed.success) {
          // Name the fields, never the values.
          const fields = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
          throw new ExternalServiceError(
            'aws',
            `secret ${secretId} is missing or malformed fields: ${fields}`,
            false,
          );
        }
        return parsed.data;
      })
      .catch((err: unknown) => {
        cache.delete(secretId);
        if (err instanceof ExternalServiceError) throw err;
        if (err instanceof SyntaxError)
          throw new ExternalServiceError('aws', `secret ${secretId} is not JSON`, false);
        const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
        throw new ExternalServiceError(
          'aws',
          `could not read secret ${secretId}`,
          status === 0 || status >= 500,
        );
      });
    cache.set(secretId, pending);
  }
  return pending as Promise<z.infer<T>>;
}
