import { describe, expect, it } from 'vitest';
import {
  type Channel,
  compareVersions,
  offeredVersion,
  PUBLIC_AUDIENCE,
} from '../../../shared/catalog/version-channels.js';

const v = (version: string, channel: Channel) => ({ version, channel });
const versions = [
  v('1.2.0', 'stable'),
  v('1.10.0', 'stable'),
  v('2.0.0-beta.2', 'beta'),
  v('2.1.0', 'alpha'),
];

describe('which plugin version a project is offered', () => {
  it('is the newest stable one for an ordinary project and for the public catalog', () => {
    expect(offeredVersion(versions, { isSuperadmin: false })).toEqual(v('1.10.0', 'stable'));
    expect(offeredVersion(versions, PUBLIC_AUDIENCE)?.version).toBe('1.10.0');
  });

  it('is the newest of any channel for a superadmin project', () => {
    expect(offeredVersion(versions, { isSuperadmin: true })).toEqual(v('2.1.0', 'alpha'));
    expect(offeredVersion(versions.slice(0, 3), { isSuperadmin: true })?.version).toBe('2.0.0-beta.2');
    // A stable release newer than every pre-release wins for superadmins too.
    expect(offeredVersion([...versions, v('3.0.0', 'stable')], { isSuperadmin: true })?.version).toBe(
      '3.0.0',
    );
  });

  it('is none when nothing visible was released', () => {
    expect(offeredVersion([v('0.1.0', 'alpha'), v('0.2.0', 'beta')], PUBLIC_AUDIENCE)).toBeUndefined();
    expect(offeredVersion([], { isSuperadmin: true })).toBeUndefined();
  });
});

describe('version order', () => {
  it('compares numerically, a pre-release below its release', () => {
    expect(compareVersions('1.10.0', '1.9.9')).toBeGreaterThan(0);
    expect(compareVersions('1.2.0-beta.1', '1.2.0')).toBeLessThan(0);
    expect(compareVersions('1.2.0-beta.10', '1.2.0-beta.9')).toBeGreaterThan(0);
    expect(compareVersions('1.2.0-alpha.1', '1.2.0-beta.1')).toBeLessThan(0);
    expect(compareVersions('2.0.0', '2.0.0')).toBe(0);
  });
});
