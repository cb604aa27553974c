import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The repository's root: functions/, state-machines/ and node_modules/ are found from here.
export const REPO_ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
