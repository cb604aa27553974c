import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  checkPluginZip,
  isSemver,
  releaseKeyOf,
  unsafeEntryReason,
} from '../../../shared/catalog/plugin-release-rules.js';

// The checks a plugin ZIP passes before staff may publish it: ZIPs built here with fflate.

const expected = { name: 'kontakt', version: '1.5.0' };
const manifest = (m: Record<string, unknown>) => strToU8(JSON.stringify(m));
const zip = (files: Record<string, Uint8Array>) => zipSync(files, { level: 6 });
const good = (extra: Record<string, Uint8Array> = {}, m: Record<string, unknown> = {}) =>
  zip({
    'manifest.json': manifest({ name: 'kontakt', version: '1.5.0', requires: [], ...m }),
    'kontakt/__init__.py': strToU8('__version__ = "1.5.0"\n'),
    ...extra,
  });
const pathsOf = (check: ReturnType<typeof checkPluginZip>) =>
  check.ok ? [] : check.errors.map((e) => e.path);

describe('a plugin ZIP to publish', () => {
  it('passes with a manifest at the root naming the plugin and version; requires are read', () => {
    const check = checkPluginZip(good({}, { requires: ['pim', 'pim'] }), expected);
    expect(check).toEqual({ ok: true, manifest: { name: 'kontakt', version: '1.5.0', requires: ['pim'] } });
    expect(checkPluginZip(good({}, { requires: undefined }), expected)).toMatchObject({
      ok: true,
      manifest: { requires: [] },
    });
  });

  it('fails without manifest.json at the root (one in a folder does not count)', () => {
    const noManifest = zip({ 'kontakt/manifest.json': manifest(expected) });
    expect(pathsOf(checkPluginZip(noManifest, expected))).toEqual(['manifest.json']);
  });

  it('fails when the manifest names another plugin or version, naming each field', () => {
    expect(pathsOf(checkPluginZip(good({}, { name: 'crm' }), expected))).toEqual(['manifest.json/name']);
    expect(pathsOf(checkPluginZip(good({}, { version: '1.4.9' }), expected))).toEqual([
      'manifest.json/version',
    ]);
    expect(pathsOf(checkPluginZip(good({}, { name: 'crm', version: '1' }), expected))).toEqual([
      'manifest.json/name',
      'manifest.json/version',
    ]);
  });

  it('fails on entry names that leave the plugin folder: .., absolute, backslash, drive letter', () => {
    for (const name of ['../evil', 'kontakt/../../evil', '/abs', 'a\\b', 'C:/evil', 'c:evil']) {
      const check = checkPluginZip(good({ [name]: strToU8('x') }), expected);
      expect(pathsOf(check), name).toEqual([`zip/${name}`]);
    }
    // Both problems in one answer.
    const both = checkPluginZip(zip({ '../evil': strToU8('x') }), expected);
    expect(pathsOf(both)).toEqual(['zip/../evil', 'manifest.json']);
  });

  it('fails above the size limit, and when it is not a ZIP or the manifest not JSON', () => {
    const bytes = good();
    expect(checkPluginZip(bytes, expected, bytes.byteLength).ok).toBe(true);
    const tooLarge = checkPluginZip(bytes, expected, bytes.byteLength - 1);
    expect(tooLarge.ok ? '' : tooLarge.errors[0]?.message).toContain('limit');
    expect(pathsOf(checkPluginZip(strToU8('not a zip at all, just text'), expected))).toEqual(['zip']);
    expect(pathsOf(checkPluginZip(new Uint8Array(0), expected))).toEqual(['zip']);
    const notJson = zip({ 'manifest.json': strToU8('{ name: kontakt') });
    expect(pathsOf(checkPluginZip(notJson, expected))).toEqual(['manifest.json']);
  });

  it('fails when requires is not a list of plugin names or names the plugin itself', () => {
    expect(pathsOf(checkPluginZip(good({}, { requires: 'pim' }), expected))).toEqual([
      'manifest.json/requires',
    ]);
    expect(pathsOf(checkPluginZip(good({}, { requires: ['../x'] }), expected))).toEqual([
      'manifest.json/requires',
    ]);
    expect(pathsOf(checkPluginZip(good({}, { requires: ['kontakt'] }), expected))).toEqual([
      'manifest.json/requires',
    ]);
  });
});

describe('entry names', () => {
  it('accepts ordinary relative paths, also with dots in names', () => {
    for (const name of ['manifest.json', 'kontakt/routes.py', 'a/..b/c', 'a/b..', 'migrations/v1.2/x.py'])
      expect(unsafeEntryReason(name), name).toBeUndefined();
  });
});

describe('versions staff may publish', () => {
  it('are semver with optional pre-release, numbers of at most 5 digits', () => {
    for (const v of ['1.2.0', '0.0.1', '1.2.0-beta.1', '2.0.0-rc.1', '1.0.0-alpha', '99999.0.0'])
      expect(isSemver(v), v).toBe(true);
    for (const v of [
      '1.2',
      '1.2.0.0',
      'v1.2.0',
      '01.2.0',
      '1.2.0-',
      '1.2.0-beta.01',
      '1.2.0+build',
      '100000.0.0',
      '',
    ])
      expect(isSemver(v), v).toBe(false);
  });

  it('publish to a key that names the checksum, so a published object is never overwritten', () => {
    expect(releaseKeyOf('kontakt', '1.5.0', 'ab'.repeat(32))).toBe(
      'plugins/kontakt/kontakt-1.5.0-abababababababab.zip',
    );
  });
});
