import {
  addKey,
  generateSigningKey,
  type SigningKeyRing,
  signingKeyRing,
} from '../../../shared/licensing/signing-keys.js';
import { readJsonFile, writeJsonFile } from './json-file.js';

// The local license signing key ring (secret vrs/local/license-keys), kept in the data dir so that
// tokens a satellite holds still verify after a restart, as on AWS. A new data dir gets a new key.

export function localLicenseKeyRing(persistPath: string | undefined): SigningKeyRing {
  const stored = readJsonFile<unknown>(persistPath, 'Local license keys');
  if (stored !== undefined) {
    const parsed = signingKeyRing.safeParse(stored);
    if (!parsed.success)
      throw new Error(`Local license keys: ${persistPath} is malformed; delete it to start afresh`);
    return parsed.data;
  }
  const ring = addKey({ keys: [] }, generateSigningKey(new Date()));
  if (persistPath) writeJsonFile(persistPath, ring);
  return ring;
}
