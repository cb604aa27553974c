import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimDailyRefresh, lastDailyRefresh } from '../../../shared/domains/daily-refresh-table.js';
import {
  addDomainToProject,
  listCustomDomainsInStatus,
  makePrimary,
  updateDomain,
} from '../../../shared/projects/domains-table.js';
import { domainItem, type ProjectDomain } from '../../../shared/projects/projects-table.js';
import { startTestTable, type TestTable } from '../../support/dynamo-table.js';
import { TABLE_NAME, useTestEnvironment } from '../handlers/environment.js';

// The status index of custom domains (the jobs find pending and live ones by it, without a Scan)
// moves in the same writes as the status; the domain-sync marker lets one run a day through. On
// the real table (DynamoDB Local).

const PROJECT = '6f1c2b9e-1d2a-4c3b-9e8f-0a1b2c3d4e5f';
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

function domain(name: string, extra: Partial<ProjectDomain> = {}): ProjectDomain {
  return {
    projectId: PROJECT,
    domain: name,
    type: 'owned',
    status: 'pending_dns',
    isPrimary: false,
    inwxRecordIds: {},
    createdAt: '2026-03-01T10:00:00.000Z',
    updatedAt: '2026-03-01T10:00:00.000Z',
    ...extra,
  };
}
const names = async (status: Parameters<typeof listCustomDomainsInStatus>[0]) =>
  (await listCustomDomainsInStatus(status)).map((d) => d.domain).sort();

describe('the status index of custom domains', () => {
  it('lists a custom domain under its status from the moment it is added; never a technical subdomain', async () => {
    await addDomainToProject(domain('kanzlei.de'), { action: 'domain_added' });
    await table.seed(domainItem(domain('kanzlei.vrs.gmbh', { type: 'subdomain', isPrimary: true })));

    expect(await names('pending_dns')).toEqual(['kanzlei.de']);
    expect(domainItem(domain('x.vrs.gmbh', { type: 'subdomain' }))).not.toHaveProperty('gsi1pk');
  });

  it('moves with every status change (and stays when only fields change)', async () => {
    await addDomainToProject(domain('taken-shop.de', { type: 'transferred', status: 'pending_transfer' }), {
      action: 'domain_added',
    });
    expect(await names('pending_transfer')).toEqual(['taken-shop.de']);

    await updateDomain(PROJECT, 'taken-shop.de', { fields: { inwxDomainId: 7 } });
    expect(await names('pending_transfer')).toEqual(['taken-shop.de']);

    await updateDomain(PROJECT, 'taken-shop.de', { status: 'failed', from: ['pending_transfer'] });
    expect(await names('pending_transfer')).toEqual([]);
    expect(await names('failed')).toEqual(['taken-shop.de']);

    // A refused change (wrong old status) moves nothing.
    expect(await updateDomain(PROJECT, 'taken-shop.de', { status: 'active', from: ['pending_dns'] })).toBe(
      false,
    );
    expect(await names('failed')).toEqual(['taken-shop.de']);
  });

  it('follows a pending domain that turns live and primary in one transaction', async () => {
    await table.seed(
      domainItem(domain('kanzlei.vrs.gmbh', { type: 'subdomain', status: 'active', isPrimary: true })),
    );
    await addDomainToProject(domain('kanzlei.de'), { action: 'domain_added' });

    expect(await makePrimary(PROJECT, 'kanzlei.de', { action: 'domain_active' }, { activate: true })).toBe(
      true,
    );
    expect(await names('pending_dns')).toEqual([]);
    const [live] = await listCustomDomainsInStatus('active');
    expect(live).toMatchObject({ domain: 'kanzlei.de', status: 'active', isPrimary: true });
  });
});

describe('the daily marker of domain-sync', () => {
  it('lets exactly one claim through per day, and a later day again', async () => {
    expect(await lastDailyRefresh()).toBeUndefined();
    expect(await claimDailyRefresh('2026-03-01', '2026-03-01T00:05:00Z')).toBe(true);
    expect(await claimDailyRefresh('2026-03-01', '2026-03-01T00:10:00Z')).toBe(false);
    expect(await lastDailyRefresh()).toBe('2026-03-01');
    expect(await claimDailyRefresh('2026-02-28', '2026-03-01T00:15:00Z')).toBe(false);
    expect(await claimDailyRefresh('2026-03-02', '2026-03-02T00:05:00Z')).toBe(true);
    expect(await lastDailyRefresh()).toBe('2026-03-02');
  });
});
