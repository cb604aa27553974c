import '../../infra/local/engines/polyfills.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalAwsEndpoint, startLocalAwsEndpoint } from '../../infra/local/engines/aws-endpoint.js';
import { LocalKms } from '../../infra/local/engines/kms.js';
import { LocalStepFunctions } from '../../infra/local/engines/step-functions/local-step-functions.js';
import { FaultRegistry } from '../../infra/local/simulators/faults.js';
import { LocalMailbox } from '../../infra/local/simulators/mail.js';

// Transfer auth codes are stored encrypted with KMS (locally the local KMS engine behind the same
// SDK client): bound to their project and domain, and still readable after a restart.

const KEY_ARN = 'arn:aws:kms:eu-central-1:000000000000:key/test';
let dir: string;
let endpoint: LocalAwsEndpoint;
let cipher: typeof import('../../shared/integrations/kms/auth-code-cipher.js');

async function serve(kms: LocalKms, port?: number): Promise<void> {
  endpoint = await startLocalAwsEndpoint({
    ...(port ? { port } : {}),
    stepFunctions: new LocalStepFunctions({ stateMachines: [], taskHandlers: {} }),
    secrets: {},
    mail: new LocalMailbox({ faults: new FaultRegistry() }),
    kms,
  });
  process.env.AWS_ENDPOINT_URL_KMS = endpoint.url;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'local-kms-'));
  await serve(new LocalKms(KEY_ARN, join(dir, 'kms-key.json')));
  Object.assign(process.env, {
    AUTH_CODE_KEY_ID: KEY_ARN,
    AWS_REGION: 'eu-central-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  cipher = await import('../../shared/integrations/kms/auth-code-cipher.js');
});
afterAll(async () => {
  await endpoint?.close();
  rmSync(dir, { recursive: true, force: true });
});

const scope = { projectId: '0b7f3c1e-8a43-4d5c-9a59-6a3e1e2f4b10', domain: 'mueller-bau.de' };

describe('an auth code at rest', () => {
  it('is stored as ciphertext that only its own project and domain decrypt', async () => {
    const stored = await cipher.encryptAuthCode('Xy7!secret-Code', scope);
    expect(stored).not.toContain('Xy7');
    expect(Buffer.from(stored, 'base64').toString('latin1')).not.toContain('secret-Code');
    expect(await cipher.decryptAuthCode(stored, scope)).toBe('Xy7!secret-Code');

    const elsewhere = await cipher.decryptAuthCode(stored, { ...scope, domain: 'other.de' }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(elsewhere?.message).toMatch(/KMS could not decrypt an auth code: InvalidCiphertextException/);
    expect(elsewhere?.message).not.toContain('Xy7');
  });

  it('stays readable after a restart of the local runtime (the key is kept in the data dir)', async () => {
    const stored = await cipher.encryptAuthCode('after-restart', scope);
    const { port } = endpoint;
    await endpoint.close();
    await serve(new LocalKms(KEY_ARN, join(dir, 'kms-key.json')), port);
    expect(await cipher.decryptAuthCode(stored, scope)).toBe('after-restart');
  });
});
