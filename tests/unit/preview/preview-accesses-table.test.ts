import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  claimTry,
  countPreviewUse,
  findAccessByCodeHash,
  findAccessByTokenHash,
  getLockCounter,
  type PreviewAccess,
  releaseTry,
  revokePreviewAccess,
  storePreviewAccess,
} from '../../../shared/preview/preview-accesses-table.js';
import { LOCK_MAX_FAILURES } from '../../../shared/preview/preview-rules.js';
import { startTestTable, type TestTable } from '../../support/dynamo-table.js';
import { TABLE_NAME, useTestEnvironment } from '../handlers/environment.js';

// Preview accesses, their markers and the brute-force lock counter on the real table (DynamoDB
// Local): conditions decide single use, revocation and the lock, also under concurrency.

const PROJECT = '6f1c2b9e-1d2a-4c3b-9e8f-0a1b2c3d4e5f';
const NOW = new Date();
const log = { action: 'preview_access_created', triggeredBy: 'staff@vrs.gmbh' };
let table: TestTable;

beforeAll(async () => {
  useTestEnvironment();
  table = await startTestTable(TABLE_NAME);
});
afterAll(async () => {
  await table?.stop();
});
beforeEach(async () => {
  await table.clearAll();
});

function access(extra: Partial<PreviewAccess> = {}): PreviewAccess {
  return {
    projectId: PROJECT,
    accessId: randomUUID(),
    expiresAt: new Date(NOW.getTime() + 3_600_000).toISOString(),
    singleUse: false,
    uses: 0,
    tokenHash: randomUUID().replaceAll('-', ''),
    codeHash: randomUUID().replaceAll('-', ''),
    createdBy: 'staff@vrs.gmbh',
    createdAt: NOW.toISOString(),
    ...extra,
  };
}

describe('storing an access', () => {
  it('writes the access, both markers (expiring with it) and the log entry; a taken code hash cancels it all', async () => {
    const a = access();
    expect(await storePreviewAccess(a, log)).toBe('stored');
    expect(await findAccessByTokenHash(a.tokenHash)).toEqual({ projectId: PROJECT, accessId: a.accessId });
    expect(await findAccessByCodeHash(a.codeHash)).toEqual({ projectId: PROJECT, accessId: a.accessId });
    const marker = await table.get({ pk: `PREVIEWCODE#${a.codeHash}`, sk: 'PREVIEWCODE' });
    expect(marker?.ttl).toBe(Math.floor(Date.parse(a.expiresAt) / 1000));
    expect(await table.query(`PROJECT#${PROJECT}`, 'LOG#')).toHaveLength(1);

    const clash = access({ codeHash: a.codeHash });
    expect(await storePreviewAccess(clash, log)).toBe('code-taken');
    expect(
      await table.get({ pk: `PROJECT#${PROJECT}`, sk: `PREVIEWACCESS#${clash.accessId}` }),
    ).toBeUndefined();
    expect(await findAccessByTokenHash(clash.tokenHash)).toBeUndefined();
    expect(await table.query(`PROJECT#${PROJECT}`, 'LOG#')).toHaveLength(1);
  });
});

describe('counting a use', () => {
  it('counts every use of a reusable access, with the time', async () => {
    const a = access();
    await storePreviewAccess(a, log);
    await countPreviewUse(PROJECT, a.accessId, NOW);
    const used = await countPreviewUse(PROJECT, a.accessId, NOW);
    expect(used).toMatchObject({ uses: 2, lastUsedAt: NOW.toISOString() });
  });

  it('lets exactly one of five concurrent uses of a single-use access through', async () => {
    const a = access({ singleUse: true });
    await storePreviewAccess(a, log);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => countPreviewUse(PROJECT, a.accessId, NOW)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await table.get({ pk: `PROJECT#${PROJECT}`, sk: `PREVIEWACCESS#${a.accessId}` }))?.uses).toBe(1);
  });

  it('refuses an expired or revoked access, and a revoke deletes its markers once', async () => {
    const expired = access({ expiresAt: new Date(NOW.getTime() - 1000).toISOString() });
    await storePreviewAccess(expired, log);
    expect(await countPreviewUse(PROJECT, expired.accessId, NOW)).toBeUndefined();

    const a = access();
    await storePreviewAccess(a, log);
    const revokeLog = { action: 'preview_access_revoked', triggeredBy: 'staff@vrs.gmbh' };
    expect(await revokePreviewAccess(PROJECT, a.accessId, 'staff@vrs.gmbh', NOW, revokeLog)).toBe('revoked');
    expect(await revokePreviewAccess(PROJECT, a.accessId, 'staff@vrs.gmbh', NOW, revokeLog)).toBe(
      'already-revoked',
    );
    expect(await revokePreviewAccess(PROJECT, randomUUID(), 'staff@vrs.gmbh', NOW, revokeLog)).toBe(
      'not-found',
    );
    expect(await countPreviewUse(PROJECT, a.accessId, NOW)).toBeUndefined();
    expect(await findAccessByTokenHash(a.tokenHash)).toBeUndefined();
    expect(await findAccessByCodeHash(a.codeHash)).toBeUndefined();
    expect(await table.query(`PROJECT#${PROJECT}`, 'LOG#')).toHaveLength(3);
  });
});

describe('the lock counter', () => {
  it('counts tries; a full count refuses every try until the window has passed; a right try is given back', async () => {
    const first = await claimTry(PROJECT, NOW);
    expect(first).toEqual({ claimed: true, windowStartsAt: NOW.toISOString() });
    await releaseTry(PROJECT, NOW.toISOString());
    expect(await getLockCounter(PROJECT)).toMatchObject({ failures: 0 });

    const later = new Date(NOW.getTime() + 60_000);
    for (let i = 0; i < LOCK_MAX_FAILURES; i++) expect((await claimTry(PROJECT, later)).claimed).toBe(true);
    // The window began with the first try counted since the count was 0.
    expect(await getLockCounter(PROJECT)).toEqual({ windowStartsAt: later.toISOString(), failures: 10 });
    expect(await claimTry(PROJECT, new Date(later.getTime() + 14 * 60_000))).toEqual({
      claimed: false,
      lockedUntil: new Date(later.getTime() + 15 * 60_000).toISOString(),
    });
    const after = new Date(later.getTime() + 15 * 60_000);
    expect(await claimTry(PROJECT, after)).toEqual({ claimed: true, windowStartsAt: after.toISOString() });
    expect(await getLockCounter(PROJECT)).toMatchObject({ failures: 1 });
  });

  it('never counts more than the limit of concurrent tries: the rest are refused', async () => {
    const results = await Promise.all(Array.from({ length: 25 }, () => claimTry(PROJECT, NOW)));
    expect(results.filter((r) => r.claimed)).toHaveLength(LOCK_MAX_FAILURES);
    expect(await getLockCounter(PROJECT)).toMatchObject({ failures: LOCK_MAX_FAILURES });
  });
});
