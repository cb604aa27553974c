import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readJsonFile, writeJsonFile } from './json-file.js';

// KMS Encrypt/Decrypt for local mode (what auth codes are encrypted with): AES-256-GCM under one
// local key, kept in the data dir so stored ciphertexts stay readable after a restart. The
// encryption context is bound as additional authenticated data, as KMS binds it: decrypting with
// another context fails (InvalidCiphertextException).

const VERSION = 1;

export class LocalKmsError extends Error {
  constructor(
    override readonly name: 'InvalidCiphertextException' | 'ValidationException',
    message: string,
  ) {
    super(message);
  }
}

export class LocalKms {
  private readonly key: Buffer;

  constructor(
    readonly keyArn: string,
    persistPath?: string,
  ) {
    const stored = readJsonFile<{ key: string }>(persistPath, 'Local KMS');
    this.key = stored ? Buffer.from(stored.key, 'base64') : randomBytes(32);
    if (!stored && persistPath) writeJsonFile(persistPath, { key: this.key.toString('base64') });
  }

  encrypt(plaintext: Buffer, context: Record<string, string> = {}): Buffer {
    if (plaintext.length === 0 || plaintext.length > 4096) {
      throw new LocalKmsError('ValidationException', 'Plaintext must be 1 to 4096 bytes');
    }
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(aad(context));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  decrypt(blob: Buffer, context: Record<string, string> = {}): Buffer {
    if (blob.length < 1 + 12 + 16 + 1 || blob[0] !== VERSION) {
      throw new LocalKmsError('InvalidCiphertextException', 'The ciphertext is invalid');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, blob.subarray(1, 13));
      decipher.setAAD(aad(context));
      decipher.setAuthTag(blob.subarray(13, 29));
      return Buffer.concat([decipher.update(blob.subarray(29)), decipher.final()]);
    } catch {
      throw new LocalKmsError(
        'InvalidCiphertextException',
        'The ciphertext or its encryption context is invalid',
      );
    }
  }
}

/** The context as KMS compares it: the same pairs in any order. */
function aad(context: Record<string, string>): Buffer {
  return Buffer.from(JSON.stringify(Object.entries(context).sort(([a], [b]) => a.localeCompare(b))));
}
