import { describe, expect, it } from 'vitest';
import type { ProjectDomain } from '../../../shared/projects/projects-table.js';
import {
  appDomainsFinding,
  envFinding,
  recordFinding,
  wantedAppDomains,
  wantedRecords,
} from '../../../shared/provisioning/drift/drift-rules.js';

const at = '2026-12-01T00:00:00.000Z';
const domain = (d: Partial<ProjectDomain> & Pick<ProjectDomain, 'domain' | 'type'>): ProjectDomain => ({
  projectId: 'p1',
  status: 'active',
  isPrimary: false,
  inwxRecordIds: {},
  createdAt: at,
  updatedAt: at,
  ...d,
});

const custom = domain({
  domain: 'steuerberater.tel',
  type: 'owned',
  isPrimary: true,
  inwxRecordIds: { a: 1, www: 2 },
});
const technical = domain({
  domain: 'steuerberater.vrs.gmbh',
  type: 'subdomain',
  baseDomain: 'vrs.gmbh',
  subdomain: 'steuerberater',
  inwxRecordIds: { a: 7 },
});
const ip = '203.0.113.10';

describe('wanted records', () => {
  it('live in the domain’s own zone, or in our base domain’s zone for a subdomain', () => {
    expect(wantedRecords(custom, ip)).toEqual({
      a: { zone: 'steuerberater.tel', name: 'steuerberater.tel', type: 'A', content: ip },
      www: {
        zone: 'steuerberater.tel',
        name: 'www.steuerberater.tel',
        type: 'CNAME',
        content: 'steuerberater.tel',
      },
    });
    expect(wantedRecords(technical, ip).a.zone).toBe('vrs.gmbh');
  });
});

describe('a record', () => {
  const wanted = wantedRecords(custom, ip).a;

  it('that is stored and points where it should is no drift (a trailing dot or case is no difference)', () => {
    const stored = { id: 1, name: 'Steuerberater.tel.', type: 'A', content: ip };
    expect(recordFinding(custom, 'a', wanted, stored, [stored])).toBeUndefined();
  });

  it('pointing elsewhere is updated in place', () => {
    const stored = { id: 1, name: 'steuerberater.tel', type: 'A', content: '198.51.100.7' };
    expect(recordFinding(custom, 'a', wanted, stored, [stored])).toEqual({
      differences: [
        { resource: 'dns A steuerberater.tel', field: 'content', expected: ip, actual: '198.51.100.7' },
      ],
      repair: { kind: 'update-record', domain: 'steuerberater.tel', purpose: 'a', id: 1, content: ip },
    });
  });

  it('gone is created again; one recreated by hand is adopted, corrected if needed, not duplicated', () => {
    expect(recordFinding(custom, 'a', wanted, undefined, [])?.repair).toEqual({
      kind: 'create-record',
      domain: 'steuerberater.tel',
      purpose: 'a',
      record: wanted,
    });
    const byHand = { id: 9, name: 'steuerberater.tel', type: 'A', content: '198.51.100.7' };
    expect(recordFinding(custom, 'a', wanted, undefined, [byHand])).toEqual({
      differences: [
        { resource: 'dns A steuerberater.tel', field: 'recordId', expected: '1', actual: '9' },
        { resource: 'dns A steuerberater.tel', field: 'content', expected: ip, actual: '198.51.100.7' },
      ],
      repair: {
        kind: 'adopt-record',
        domain: 'steuerberater.tel',
        purpose: 'a',
        id: 9,
        content: ip,
        update: true,
      },
    });
  });

  it('prefers, among several of that name, the one that already points right', () => {
    const wrong = { id: 8, name: 'steuerberater.tel', type: 'A', content: '198.51.100.7' };
    const right = { id: 9, name: 'steuerberater.tel', type: 'A', content: ip };
    expect(recordFinding(custom, 'a', wanted, undefined, [wrong, right])?.repair).toMatchObject({
      id: 9,
      update: false,
    });
  });
});

describe('the application', () => {
  it('serves every live domain, custom ones with www; pending ones are not yet wanted', () => {
    const pending = domain({ domain: 'neu.de', type: 'registered', status: 'pending_registration' });
    expect(wantedAppDomains([custom, technical, pending])).toEqual([
      'https://steuerberater.tel',
      'https://steuerberater.vrs.gmbh',
      'https://www.steuerberater.tel',
    ]);
  });

  it('differs only when the set of URLs differs (order, case and a trailing slash do not count)', () => {
    const wanted = wantedAppDomains([custom]);
    expect(
      appDomainsFinding('app', wanted, ['https://WWW.steuerberater.tel/', 'https://steuerberater.tel']),
    ).toBeUndefined();
    expect(appDomainsFinding('app', wanted, ['https://steuerberater.tel'])?.repair).toEqual({
      kind: 'set-app-domains',
      urls: wanted,
    });
  });
});

describe('the satellite env', () => {
  const want = { projectId: 'p1', marketplaceUrl: 'https://api.vrs.gmbh', apiKeyHash: 'h1' };
  const held = (entries: [string, string | null][]) => new Map(entries);

  it('matches when the id, URL and the key we issued are there', () => {
    const env = held([
      ['VRS_PROJECT_ID', 'p1'],
      ['VRS_MARKETPLACE_URL', 'https://api.vrs.gmbh'],
      ['VRS_MARKETPLACE_KEY', 'vrs_x'],
    ]);
    expect(envFinding('app', want, env, 'h1')).toBeUndefined();
  });

  it('names a wrong URL, and a foreign key without showing it; a key Coolify hides is not judged', () => {
    const env = held([
      ['VRS_PROJECT_ID', 'p1'],
      ['VRS_MARKETPLACE_URL', 'https://old.example'],
      ['VRS_MARKETPLACE_KEY', 'vrs_secret'],
    ]);
    const finding = envFinding('app', want, env, 'other');
    expect(finding?.repair).toEqual({
      kind: 'write-env',
      vars: [{ key: 'VRS_MARKETPLACE_URL', value: 'https://api.vrs.gmbh' }],
      newKey: true,
    });
    expect(JSON.stringify(finding)).not.toContain('vrs_secret');
    const hidden = held([
      ['VRS_PROJECT_ID', 'p1'],
      ['VRS_MARKETPLACE_URL', 'https://api.vrs.gmbh'],
      ['VRS_MARKETPLACE_KEY', null],
    ]);
    expect(envFinding('app', want, hidden, undefined)).toBeUndefined();
  });

  it('asks for a key when none is set', () => {
    const env = held([
      ['VRS_PROJECT_ID', 'p1'],
      ['VRS_MARKETPLACE_URL', 'https://api.vrs.gmbh'],
    ]);
    expect(envFinding('app', want, env, undefined)).toEqual({
      differences: [
        {
          resource: 'coolify env app',
          field: 'VRS_MARKETPLACE_KEY',
          expected: 'the key the marketplace issued',
          actual: null,
        },
      ],
      repair: { kind: 'write-env', vars: [], newKey: true },
    });
  });
});
