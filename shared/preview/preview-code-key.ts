import * as z from 'zod';
import { defineConfig } from '../platform/config.js';
import { readJsonSecret } from '../platform/secrets.js';

// The key preview codes are hashed with (HMAC): a random value Secrets Manager generates
// (Data/PreviewCodeSecret, {"key"}), read once per cold start. It never sits in the table, so a
// copy of the table does not give away the codes by trying all 10^6 of them. Replacing it only
// invalidates the codes handed out so far (their links keep working).

const previewCodeConfig = defineConfig(
  'preview code',
  z.object({ PREVIEW_CODE_SECRET_ARN: z.string().min(1) }),
);
const secretShape = z.object({ key: z.string().min(32) });

export const previewCodeKey = async (): Promise<string> =>
  (await readJsonSecret(previewCodeConfig().PREVIEW_CODE_SECRET_ARN, secretShape)).key;
